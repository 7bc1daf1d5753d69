# Decision regions of the linear model (training accuracy 52.7%)
# Drawn by Chapter 01: swift run -c release 01-tensors
# Redraw or restyle in this folder with: gnuplot 01-spiral-linear-boundary.gp
set terminal pngcairo size 700,600 noenhanced
set output '01-spiral-linear-boundary.png'
data = '01-spiral-linear-boundary.dat'
set title 'Decision regions of the linear model (training accuracy 52.7%)'
set xlabel 'x1'
set ylabel 'x2'
set xrange [-0.991387:1.13657]
set yrange [-1.02441:1.08629]
set size ratio -1
set grid lc rgb '#dddddd'
set key outside right top
set style fill transparent solid 0.5 noborder
set palette defined (0 '#c6dbef', 1 '#fdd0a2', 2 '#c7e9c0')
set palette maxcolors 3
set cbrange [-0.5:2.5]
unset colorbox
plot data index 0 matrix using (-0.991387+$1*0.0142816):(-1.02441+$2*0.0141657):3 with image notitle, \
     data index 1 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' title 'class 0', \
     data index 2 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' title 'class 1', \
     data index 3 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' title 'class 2'
