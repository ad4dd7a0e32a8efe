#include "exec/executor_factory.hpp"

#if __has_include("upstream/http_executor.hpp")
#include "upstream/http_executor.hpp"
#define CPA_PROXY_HAVE_HTTP_EXECUTOR 1
#endif

namespace cpa::proxy {

#ifdef CPA_PROXY_HAVE_HTTP_EXECUTOR
std::unique_ptr<Executor> makeExecutor(sdk::Logger& logger) { return makeHttpExecutor(logger); }
#else
namespace {
class MissingExecutor final : public Executor {
public:
    ExecResult execute(const ExecRequest&, ClientSink&) override {
        ExecResult r;
        r.status = 500;
        r.errorCode = "executor_not_found";
        r.errorMessage = "executor_not_found: executor not registered";
        return r;
    }
};
}  // namespace

std::unique_ptr<Executor> makeExecutor(sdk::Logger&) { return std::make_unique<MissingExecutor>(); }
#endif

}  // namespace cpa::proxy
