# 2-D embeddings of test digits after 600 steps of contrastive loss (margin 2)
# Drawn by Chapter 04: swift run -c release 04-contrastive-loss
# Redraw or restyle in this folder with: gnuplot 04-embedding-after.gp
set terminal pngcairo size 760,600 noenhanced
set output '04-embedding-after.png'
data = '04-embedding-after.dat'
set title '2-D embeddings of test digits after 600 steps of contrastive loss (margin 2)'
set xlabel 'embedding 1'
set ylabel 'embedding 2'
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
