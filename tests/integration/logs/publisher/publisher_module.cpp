// Fixture module standing in for the data plane: POST /test/request-completed
// publishes its JSON body as a `request.completed` record, and as a
// `request.failed` one too when it failed (status >= 400 or upstream errors),
// with `request_id` defaulting to the publishing request's own X-Request-Id.
#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/plugin.hpp>

namespace cpa::test {

class RequestCompletedPublisher final : public sdk::Module {
public:
    void configure(sdk::ModuleContext& context) override { context_ = &context; }
    void registerRoutes(sdk::RouteRegistry& routes) override {
        routes.route(sdk::Method::Post, "/test/request-completed", sdk::Access::Public,
                     [this](sdk::Request& req, sdk::Response& res) {
                         sdk::Value record;
                         try {
                             record = sdk::parseJson(req.body());
                         } catch (const sdk::JsonError&) {
                             throw sdk::HttpError(400, "invalid body");
                         }
                         if (!record.isObject()) throw sdk::HttpError(400, "invalid body");
                         if (!record.contains("request_id")) record.set("request_id", req.requestId());
                         const sdk::Value* status = record.find("status");
                         const sdk::Value* errors = record.find("upstream_errors");
                         const bool failed = (status && status->intOr(0) >= 400) ||
                                             (errors && errors->isArray() && errors->size() > 0);
                         context_->events().publish(sdk::kTopicRequestCompleted, record);
                         if (failed) context_->events().publish(sdk::kTopicRequestFailed, record);
                         res.json(200, sdk::Value::object({{"request_id", record.find("request_id")->stringOr("")}}));
                     });
    }

private:
    sdk::ModuleContext* context_ = nullptr;
};

}  // namespace cpa::test

CPA_PLUGIN(cpa::test::RequestCompletedPublisher, "logs_publisher", "1.0.0")
