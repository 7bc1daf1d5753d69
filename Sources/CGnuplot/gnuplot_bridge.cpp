// The C API of CGnuplot.h over gnuplot-iostream (Stahlke's C++ pipe to gnuplot).
#include "CGnuplot.h"

#include <cstdio>
#include <fstream>
#include <string>

#include <gnuplot-iostream.h>

namespace {
// Quotes a path for the POSIX shell: 'it'\''s' style.
std::string shell_quote(const std::string &text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') quoted += "'\\''";
        else quoted += c;
    }
    return quoted + "'";
}
}  // namespace

extern "C" int sk_gnuplot_run(const char *gnuplot, const char *commands, const char *log_path) {
    const std::string log = log_path;
    const std::string status_path = log + ".status";
    // gnuplot's output goes to the log; the shell records gnuplot's exit status and itself
    // exits 0, so gnuplot-iostream's pclose sees success and prints nothing of its own.
    const std::string command = std::string(gnuplot) + " >" + shell_quote(log) + " 2>&1; echo $? >" +
                                shell_quote(status_path);
    try {
        Gnuplot gp(command);
        gp << commands << "\nexit\n";
        gp.flush();
    } catch (const std::exception &) {
        return -1;
    }  // ~Gnuplot closes the pipe and waits for gnuplot to finish.

    int status = -1;
    std::ifstream in(status_path);
    if (in >> status) {
        in.close();
        std::remove(status_path.c_str());
    }
    return status;
}
