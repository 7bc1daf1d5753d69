// A C interface to gnuplot-iostream, so Swift can drive gnuplot without importing C++.
#ifndef CGNUPLOT_H
#define CGNUPLOT_H

#ifdef __cplusplus
extern "C" {
#endif

/// Runs gnuplot on `commands` (a script's text), piped through gnuplot-iostream.
///
/// - `gnuplot`: the command to start (e.g. "gnuplot"), run by the shell.
/// - `log_path`: a file that receives everything gnuplot prints (its warnings and errors).
/// Returns gnuplot's exit status (0 on success), or -1 if the pipe could not be opened.
int sk_gnuplot_run(const char *gnuplot, const char *commands, const char *log_path);

#ifdef __cplusplus
}
#endif

#endif
