# Confusion matrix, mistakes only (row: true digit, column: predicted)
# Drawn by Chapter 02: swift run -c release 02-convolutions
# Redraw or restyle in this folder with: gnuplot 02-confusion.gp
set terminal pngcairo size 620,500 noenhanced
set output '02-confusion.png'
data = '02-confusion.dat'
set title 'Confusion matrix, mistakes only (row: true digit, column: predicted)'
set xlabel 'predicted'
set ylabel 'true'
set size ratio -1
set grid lc rgb '#dddddd'
set key inside top left opaque
set style fill transparent solid 0.5 noborder
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set xtics 0,1,9
set ytics 0,1,9
set yrange [9.5:-0.5]
set xrange [-0.5:9.5]
plot data index 0 matrix using (0+$1*1):(0+$2*1):3 with image notitle
