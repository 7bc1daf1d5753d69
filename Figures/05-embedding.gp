# Test digits in the batch-hard, margin 1 embedding (first two principal components)
# Drawn by Chapter 05: swift run -c release 05-triplet-loss
# Redraw or restyle in this folder with: gnuplot 05-embedding.gp
set terminal pngcairo size 760,600 noenhanced
set output '05-embedding.png'
data = '05-embedding.dat'
set title 'Test digits in the batch-hard, margin 1 embedding (first two principal components)'
set xlabel 'component 1'
set ylabel 'component 2'
set grid lc rgb '#dddddd'
set key outside right top
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' title 'digit 0', \
     data index 1 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' title 'digit 1', \
     data index 2 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' title 'digit 2', \
     data index 3 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' title 'digit 3', \
     data index 4 using 1:2 with points pt 7 ps 0.6 lc rgb '#9467bd' title 'digit 4', \
     data index 5 using 1:2 with points pt 7 ps 0.6 lc rgb '#8c564b' title 'digit 5', \
     data index 6 using 1:2 with points pt 7 ps 0.6 lc rgb '#e377c2' title 'digit 6', \
     data index 7 using 1:2 with points pt 7 ps 0.6 lc rgb '#7f7f7f' title 'digit 7', \
     data index 8 using 1:2 with points pt 7 ps 0.6 lc rgb '#bcbd22' title 'digit 8', \
     data index 9 using 1:2 with points pt 7 ps 0.6 lc rgb '#17becf' title 'digit 9'
