// Key function of ModelListing (see interfaces.cpp for why it lives here).
#include <cpa/sdk/model_listing.hpp>

namespace cpa::sdk {

ModelListing::~ModelListing() = default;

}  // namespace cpa::sdk
