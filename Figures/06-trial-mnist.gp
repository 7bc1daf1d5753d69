# Query (first), then supports ranked by the mnist-trained network; the right one is #12
# Drawn by Chapter 06: swift run -c release 06-mnist-to-omniglot
# Redraw or restyle in this folder with: gnuplot 06-trial-mnist.gp
set terminal pngcairo size 848,414 noenhanced
set output '06-trial-mnist.png'
data = '06-trial-mnist.dat'
set title 'Query (first), then supports ranked by the mnist-trained network; the right one is #12'
set size ratio -1
set yrange [*:*] reverse
unset xtics; unset ytics; unset border; unset key; unset colorbox
set lmargin 2; set rmargin 2; set bmargin 1; set tmargin 3
set autoscale fix
set palette gray negative
set cbrange [0:1]
plot data index 0 matrix using (0+$1*1):(0+$2*1):3 with image notitle
