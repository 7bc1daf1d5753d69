# Training loss per batch (smoothed over 50 batches)
# Drawn by Chapter 02: swift run -c release 02-convolutions
# Redraw or restyle in this folder with: gnuplot 02-training-loss.gp
set terminal pngcairo size 800,500 noenhanced
set output '02-training-loss.png'
data = '02-training-loss.dat'
set title 'Training loss per batch (smoothed over 50 batches)'
set xlabel 'epoch'
set ylabel 'cross-entropy'
set logscale y 10
set grid lc rgb '#dddddd'
set key inside top left opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'training loss'
