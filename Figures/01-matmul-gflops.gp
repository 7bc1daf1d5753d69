# Matrix product speed (n x n times n x n)
# Drawn by Chapter 01: swift run -c release 01-tensors
# Redraw or restyle in this folder with: gnuplot 01-matmul-gflops.gp
set terminal pngcairo size 800,500 noenhanced
set output '01-matmul-gflops.png'
data = '01-matmul-gflops.dat'
set title 'Matrix product speed (n x n times n x n)'
set xlabel 'n'
set ylabel 'GFLOP/s'
set logscale x 2
set grid lc rgb '#dddddd'
set key inside top left opaque
set style fill transparent solid 0.5 noborder
plot data index 0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#1f77b4' title 'naive triple loop', \
     data index 1 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#ff7f0e' title 'OpenBLAS sgemm, 1 thread', \
     data index 2 using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#2ca02c' title 'OpenBLAS sgemm, 2 threads'
