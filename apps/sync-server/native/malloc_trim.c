// trim(): hands the C heap's free pages back to the operating system (glibc's malloc_trim).
//
// glibc returns freed memory only from the top of each heap. After hundreds of boards unload, the small
// buffers they used are free but scattered below something still live, so the server's resident memory
// stays tens of MB above where it started until malloc_trim(0) releases every free page (see
// src/memory-release.ts). Elsewhere (musl, macOS) the allocator has no such call and trim() does nothing.
#include <stdlib.h>
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static napi_value Trim(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#if defined(__GLIBC__)
  released = malloc_trim(0);
#endif
  napi_value result;
  napi_get_boolean(env, released != 0, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value trim;
  napi_value supported;
  napi_create_function(env, "trim", NAPI_AUTO_LENGTH, Trim, NULL, &trim);
#if defined(__GLIBC__)
  napi_get_boolean(env, true, &supported);
#else
  napi_get_boolean(env, false, &supported);
#endif
  napi_set_named_property(env, exports, "trim", trim);
  napi_set_named_property(env, exports, "supported", supported);
  return exports;
}
