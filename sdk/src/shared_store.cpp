// Key function of SharedStore (see interfaces.cpp for why it lives here).
#include <cpa/sdk/shared_store.hpp>

namespace cpa::sdk {

SharedStore::~SharedStore() = default;

}  // namespace cpa::sdk
