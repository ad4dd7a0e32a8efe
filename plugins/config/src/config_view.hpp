#pragma once
// GET /config: the original's JSON view of the configuration
// (management-api-core.md §5.1–§5.2), built from a snapshot's document with
// the load-time defaults and normalisation of config-schema.md §1 applied.
#include <cpa/sdk/value.hpp>

namespace cpa::config {

/// Never contains host, port, remote-management or auth-dir. Lists absent
/// from the file are null, lists written as [] stay []; members the original
/// omits when empty are left out.
sdk::Value configView(const sdk::Value& root);

/// The `ampcode` block as GET /config and GET /ampcode show it (`a` may be null).
sdk::Value ampcodeView(const sdk::Value* a);

}  // namespace cpa::config
