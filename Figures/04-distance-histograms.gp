# Test-pair distances in the trained 2-D embedding (margin 2)
# Drawn by Chapter 04: swift run -c release 04-contrastive-loss
# Redraw or restyle in this folder with: gnuplot 04-distance-histograms.gp
set terminal pngcairo size 800,500 noenhanced
set output '04-distance-histograms.png'
data = '04-distance-histograms.dat'
set title 'Test-pair distances in the trained 2-D embedding (margin 2)'
set xlabel 'Euclidean distance'
set ylabel 'pairs'
set grid lc rgb '#dddddd'
set key inside top right opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2:(0.104452) with boxes lc rgb '#1f77b4' title 'same class', \
     data index 1 using 1:2:(0.104452) with boxes lc rgb '#ff7f0e' title 'different classes'
