# Distances between untrained embeddings of test pairs
# Drawn by Chapter 03: swift run -c release 03-twin-network
# Redraw or restyle in this folder with: gnuplot 03-untrained-distances.gp
set terminal pngcairo size 800,500 noenhanced
set output '03-untrained-distances.png'
data = '03-untrained-distances.dat'
set title 'Distances between untrained embeddings of test pairs'
set xlabel 'Euclidean distance'
set ylabel 'pairs'
set grid lc rgb '#dddddd'
set key inside top right opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2:(0.160941) with boxes lc rgb '#1f77b4' title 'same class', \
     data index 1 using 1:2:(0.160941) with boxes lc rgb '#ff7f0e' title 'different classes'
