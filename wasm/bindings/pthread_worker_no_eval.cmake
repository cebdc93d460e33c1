# Run after linking a -pthread module (cmake -DWORKER=<name>.worker.js -P pthread_worker_no_eval.cmake):
# Emscripten 3.1.6's pthread worker gives Node an importScripts made of `(0,eval)(fs.readFileSync(f,"utf8"))`.
# Our modules are ES modules, whose workers load the glue with import() (in Node too), so that importScripts
# is never called; but a string made code in a shipped file breaks the package's promise to pages whose
# Content-Security-Policy has no 'unsafe-eval' (README, tests/package/no_dynamic_code.test.mjs). It becomes a
# function that throws. A toolchain whose worker reads otherwise stops the build here.
file(READ "${WORKER}" text)
set(eval_call [[(0,eval)(fs.readFileSync(f,"utf8"))]])
string(FIND "${text}" "${eval_call}" at)
if(at EQUAL -1)
  string(FIND "${text}" "eval" any)
  if(NOT any EQUAL -1)
    message(FATAL_ERROR "${WORKER}: an eval this script does not know; see wasm/bindings/pthread_worker_no_eval.cmake")
  endif()
  return()
endif()
string(REPLACE "${eval_call}" [[throw new Error("importScripts is not used: the module is an ES module")]] text "${text}")
file(WRITE "${WORKER}" "${text}")
