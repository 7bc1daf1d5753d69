# Training loss on the spirals
# Drawn by Chapter 01: swift run -c release 01-tensors
# Redraw or restyle in this folder with: gnuplot 01-spiral-loss.gp
set terminal pngcairo size 800,500 noenhanced
set output '01-spiral-loss.png'
data = '01-spiral-loss.dat'
set title 'Training loss on the spirals'
set xlabel 'step'
set ylabel 'cross-entropy'
set logscale y 10
set grid lc rgb '#dddddd'
set key inside top left opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'linear', \
     data index 1 using 1:2 with lines lw 2 lc rgb '#ff7f0e' title '2 -> 64 ReLU -> 3'
