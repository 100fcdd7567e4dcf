/*
 * dist/fast-exit.node: one function, exit(code), that ends the process with _exit(2).
 *
 * Why: process.exit() first shuts V8's platform down, and that joins its background threads after
 * they finish the work they were given. A thread running V8's tier-up job compiles every
 * WebAssembly function still queued for the optimizing tier (the SoC's interpreter, compiled
 * regions) before it stops: 3-12 ms of a run that ended, on 2 CPUs (BENCHMARKS.md, twelfth
 * session). _exit leaves that to the kernel. The CLI writes its output with write(2) before it
 * exits (tools/cli.ts out), so nothing it wrote is lost; what process.exit would lose (stream
 * writes still queued) is lost the same way.
 *
 * Built by scripts/build.mjs with the system's C compiler, where there is one; without it the CLI
 * exits through process.exit. Node-API is a stable C ABI: the few declarations it needs are here,
 * so no headers are needed, and the symbols resolve against the node binary when it loads the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef int napi_status; /* napi_ok is 0 */
typedef napi_value (*napi_callback)(napi_env env, napi_callback_info info);

napi_status napi_get_cb_info(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv,
                             napi_value *this_arg, void **data);
napi_status napi_get_value_int32(napi_env env, napi_value value, int32_t *result);
napi_status napi_create_function(napi_env env, const char *name, size_t length, napi_callback cb,
                                 void *data, napi_value *result);
napi_status napi_set_named_property(napi_env env, napi_value object, const char *name, napi_value value);

static napi_value exit_now(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t code = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc < 1 ||
      napi_get_value_int32(env, argv[0], &code) != 0) {
    return NULL; /* no code given: the caller falls back to process.exit */
  }
  _exit(code & 0xff);
}

__attribute__((visibility("default"))) napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "exit", 4, exit_now, NULL, &fn) != 0) return NULL;
  if (napi_set_named_property(env, exports, "exit", fn) != 0) return NULL;
  return exports;
}
