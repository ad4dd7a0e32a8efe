#pragma once
// Everything a module unit test needs from cpa::sdk::testing.
#include <cpa/sdk/testing/fake_context.hpp>
#include <cpa/sdk/testing/fake_http.hpp>
#include <cpa/sdk/testing/fake_router.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>
