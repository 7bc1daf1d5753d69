# Eight drawers' drawings of one character, resized whole (top) and in their ink boxes (bottom)
# Drawn by Chapter 07: swift run -c release 07-omniglot-benchmark
# Redraw or restyle in this folder with: gnuplot 07-ink-box.gp
set terminal pngcairo size 829,265 noenhanced
set output '07-ink-box.png'
data = '07-ink-box.dat'
set title 'Eight drawers'' drawings of one character, resized whole (top) and in their ink boxes (bottom)'
set size ratio -1
set yrange [*:*] reverse
unset xtics; unset ytics; unset border; unset key; unset colorbox
set lmargin 2; set rmargin 2; set bmargin 1; set tmargin 3
set autoscale fix
set palette gray negative
set cbrange [0:1]
plot data index 0 matrix using (0+$1*1):(0+$2*1):3 with image notitle
