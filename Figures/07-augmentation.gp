# One drawing, its quarter turns (new classes) and four affine distortions
# Drawn by Chapter 07: swift run -c release 07-omniglot-benchmark
# Redraw or restyle in this folder with: gnuplot 07-augmentation.gp
set terminal pngcairo size 829,166 noenhanced
set output '07-augmentation.png'
data = '07-augmentation.dat'
set title 'One drawing, its quarter turns (new classes) and four affine distortions'
set size ratio -1
set yrange [*:*] reverse
unset xtics; unset ytics; unset border; unset key; unset colorbox
set lmargin 2; set rmargin 2; set bmargin 1; set tmargin 3
set autoscale fix
set palette gray negative
set cbrange [0:1]
plot data index 0 matrix using (0+$1*1):(0+$2*1):3 with image notitle
