# Omniglot within-alphabet one-shot accuracy against N
# Drawn by Chapter 06: swift run -c release 06-mnist-to-omniglot
# Redraw or restyle in this folder with: gnuplot 06-accuracy-vs-ways.gp
set terminal pngcairo size 800,500 noenhanced
set output '06-accuracy-vs-ways.png'
data = '06-accuracy-vs-ways.dat'
set title 'Omniglot within-alphabet one-shot accuracy against N'
set xlabel 'N (ways)'
set ylabel 'accuracy (%)'
set grid lc rgb '#dddddd'
set key top right
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#1f77b4' title 'raw pixels', \
     data index 1 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#ff7f0e' title 'trained on MNIST', \
     data index 2 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#2ca02c' title 'trained on Omniglot background'
