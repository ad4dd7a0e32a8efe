#include "runtime/build_info.hpp"

#ifndef CPA_BUILD_VERSION
#define CPA_BUILD_VERSION "dev"
#endif
#ifndef CPA_BUILD_COMMIT
#define CPA_BUILD_COMMIT "none"
#endif
#ifndef CPA_BUILD_DATE
#define CPA_BUILD_DATE "unknown"
#endif

namespace cpa::core {

const sdk::BuildInfo& buildInfo() {
    static const sdk::BuildInfo info{CPA_BUILD_VERSION, CPA_BUILD_COMMIT, CPA_BUILD_DATE};
    return info;
}

}  // namespace cpa::core
