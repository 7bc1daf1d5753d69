# ROC curves on balanced MNIST test pairs
# Drawn by Chapter 03: swift run -c release 03-twin-network
# Redraw or restyle in this folder with: gnuplot 03-roc.gp
set terminal pngcairo size 640,600 noenhanced
set output '03-roc.png'
data = '03-roc.dat'
set title 'ROC curves on balanced MNIST test pairs'
set xlabel 'false positive rate'
set ylabel 'true positive rate'
set size ratio -1
set grid lc rgb '#dddddd'
set key inside bottom right opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'Koch L1 head (area 0.990)', \
     data index 1 using 1:2 with lines lw 2 lc rgb '#ff7f0e' title 'concatenation head (area 0.500)', \
     data index 2 using 1:2 with lines lw 2 lc rgb '#2ca02c' title 'untrained L2 distance (area 0.735)'
