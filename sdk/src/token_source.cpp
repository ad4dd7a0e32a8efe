// Key functions of TokenSource and CredentialStates (see interfaces.cpp for why they live here).
#include <cpa/sdk/token_source.hpp>

namespace cpa::sdk {

TokenSource::~TokenSource() = default;
CredentialStates::~CredentialStates() = default;

}  // namespace cpa::sdk
