# Validation 20-way one-shot accuracy per epoch (held-out background alphabets)
# Drawn by Chapter 07: swift run -c release 07-omniglot-benchmark
# Redraw or restyle in this folder with: gnuplot 07-long-learning-curve.gp
set terminal pngcairo size 800,500 noenhanced
set output '07-long-learning-curve.png'
data = '07-long-learning-curve.dat'
set title 'Validation 20-way one-shot accuracy per epoch (held-out background alphabets)'
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set grid lc rgb '#dddddd'
set key inside top left opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#1f77b4' title 'member 1', \
     data index 1 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#ff7f0e' title 'member 2', \
     data index 2 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#2ca02c' title 'member 3'
