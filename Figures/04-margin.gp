# One-shot 10-way accuracy after a short training, by margin
# Drawn by Chapter 04: swift run -c release 04-contrastive-loss
# Redraw or restyle in this folder with: gnuplot 04-margin.gp
set terminal pngcairo size 800,500 noenhanced
set output '04-margin.png'
data = '04-margin.dat'
set title 'One-shot 10-way accuracy after a short training, by margin'
set xlabel 'margin'
set ylabel 'accuracy (%)'
set logscale x 2
set grid lc rgb '#dddddd'
set key inside top left opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#1f77b4' title 'nearest reference, 5 draws'
