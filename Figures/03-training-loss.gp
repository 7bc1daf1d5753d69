# Training loss (binary cross-entropy, mean of 25 steps)
# Drawn by Chapter 03: swift run -c release 03-twin-network
# Redraw or restyle in this folder with: gnuplot 03-training-loss.gp
set terminal pngcairo size 800,500 noenhanced
set output '03-training-loss.png'
data = '03-training-loss.dat'
set title 'Training loss (binary cross-entropy, mean of 25 steps)'
set xlabel 'step'
set ylabel 'loss'
set grid lc rgb '#dddddd'
set key inside top right opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'Koch L1 head', \
     data index 1 using 1:2 with lines lw 2 lc rgb '#ff7f0e' title 'concatenation head'
