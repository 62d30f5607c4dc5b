#ifndef JUDGE_COPENBLAS_SHIM_H
#define JUDGE_COPENBLAS_SHIM_H
// Debian's libopenblas-dev: the header dir comes from pkg-config (openblas-pthread variant).
#include <cblas.h>
#endif
