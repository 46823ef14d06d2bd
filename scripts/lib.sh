# Shell helpers shared by scripts/ and bench/ (sourced, not run).

# Cores this process may use. GNU nproc lets OMP_NUM_THREADS (which the test scripts set to 1) override
# its answer, which would run one test at a time; the OpenMP variables are dropped for the count.
cores() { env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc; }

# The commit of the tree at $1: git HEAD, with "+" when tracked files have uncommitted changes.
commit_stamp() {
  local c
  c="$(git -C "$1" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [ -z "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ] || c="$c+"
  echo "$c"
}

# The environment of a training run started by a bench script: one BLAS/OpenMP thread per process, waiting
# threads that sleep, and Open MPI allowed to start as root (it refuses unless told twice).
bench_env() {
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
}
