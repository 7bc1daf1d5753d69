# Batch-hard loss, healthy and collapsed (axis cut at 3; the collapse first peaks at 46183)
# Drawn by Chapter 05: swift run -c release 05-triplet-loss
# Redraw or restyle in this folder with: gnuplot 05-collapse.gp
set terminal pngcairo size 800,500 noenhanced
set output '05-collapse.png'
data = '05-collapse.dat'
set title 'Batch-hard loss, healthy and collapsed (axis cut at 3; the collapse first peaks at 46183)'
set xlabel 'step'
set ylabel 'loss (margin 1)'
set yrange [0:3]
set grid lc rgb '#dddddd'
set key inside top right opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'learning rate 0.0005 (section 3)', \
     data index 1 using 1:2 with lines lw 2 lc rgb '#ff7f0e' title 'learning rate 0.3 (collapses)'
