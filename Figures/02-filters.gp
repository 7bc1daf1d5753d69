# The 32 learned first-layer filters (5x5, each stretched to its own range)
# Drawn by Chapter 02: swift run -c release 02-convolutions
# Redraw or restyle in this folder with: gnuplot 02-filters.gp
set terminal pngcairo size 933,507 noenhanced
set output '02-filters.png'
data = '02-filters.dat'
set title 'The 32 learned first-layer filters (5x5, each stretched to its own range)'
set size ratio -1
set yrange [*:*] reverse
unset xtics; unset ytics; unset border; unset key; unset colorbox
set lmargin 2; set rmargin 2; set bmargin 1; set tmargin 3
set autoscale fix
set palette gray negative
set cbrange [0:1]
plot data index 0 matrix using (0+$1*1):(0+$2*1):3 with image notitle
