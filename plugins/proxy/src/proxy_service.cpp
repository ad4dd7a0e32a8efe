#include "proxy_service.hpp"

#include "http/error_body.hpp"
#include "http/listings.hpp"
#include "http/request_shape.hpp"
#include "json/json_scan.hpp"
#include "registry/credential.hpp"
#include "routing/model_name.hpp"
#include "translate/codec.hpp"
#include "upstream/request_builder.hpp"
#include "upstream/translation.hpp"

#include <cpa/sdk/json.hpp>
#include <cpa/sdk/text.hpp>

#include <algorithm>

namespace cpa::proxy {

namespace {

constexpr std::string_view kJsonType = "application/json; charset=utf-8";

std::optional<sdk::Value> parseBody(const std::string& body) {
    try {
        return sdk::parseJson(body);
    } catch (...) {
        return std::nullopt;  // not validated as JSON: simply no model (data-plane.md §2)
    }
}

/// What routing reads of a client body: "model" and "stream".
struct BodyFields {
    std::string model;  ///< "" when absent or not a string
    bool hasStream{}, streamTrue{}, streamFalse{};
};

BodyFields bodyFields(const std::string& body) {
    // A byte scan of the top level, no tree; duplicates or anything unusual
    // take the parser (last duplicate wins there).
    static constexpr std::string_view kKeys[] = {"model", "stream"};
    JsonMember m[2];
    BodyFields f;
    if (scanJsonObject(body, kKeys, m, 2) && m[0].count <= 1 && m[1].count <= 1) {
        const auto raw = [&](const JsonMember& x) {
            return std::string_view(body).substr(x.valueBegin, x.valueEnd - x.valueBegin);
        };
        if (m[0].found()) f.model = jsonStringValue(raw(m[0])).value_or("");
        f.hasStream = m[1].found();
        f.streamTrue = f.hasStream && raw(m[1]) == "true";
        f.streamFalse = f.hasStream && raw(m[1]) == "false";
        return f;
    }
    const auto parsed = parseBody(body);
    const sdk::Value* model = parsed ? parsed->find("model") : nullptr;
    const sdk::Value* stream = parsed ? parsed->find("stream") : nullptr;
    f.model = model ? model->stringOr("") : "";
    f.hasStream = stream != nullptr;
    f.streamTrue = stream && stream->isBool() && stream->asBool();
    f.streamFalse = stream && stream->isBool() && !stream->asBool();
    return f;
}

std::string geminiPathRest(const std::string& path) {
    static constexpr std::string_view base = "/v1beta/models/";
    std::string rest = path.size() > base.size() ? path.substr(base.size()) : std::string();
    if (!rest.empty() && rest.front() == '/') rest.erase(rest.begin());
    return rest;
}

const std::string* lastContentType(const HeaderList& headers) {
    const std::string* found = nullptr;
    for (const auto& [k, v] : headers)
        if (sdk::iequals(k, "Content-Type")) found = &v;
    return found;
}

void writeJson(sdk::Response& res, int status, const std::string& body) {
    res.setStatus(status);
    res.setBody(body, kJsonType);
}

}  // namespace

ProxyService::Reach ProxyService::providerReach(const ProviderWires& wires, const std::string& provider,
                                                ClientFormat format) const {
    const auto it = wires.find(provider);
    if (it == wires.end()) return Reach::None;
    const bool translatable = upstream::translatableFormat(format).has_value();
    Reach reach = Reach::None;
    for (const std::string& w : it->second) {
        if (wireServesFormat(w, format)) {
            if (reach == Reach::None) reach = Reach::Native;
        } else if (translatable && upstream::wireFormat(w)) {
            reach = Reach::Translated;  // some credential of it needs the conversation
        }
    }
    return reach;
}

namespace {

/// The client's body in canonical form (translation.md §2), decoded once for
/// every attempt that needs it. Throws TranslateError for a wrong shape.
std::shared_ptr<const translate::Conversation> decodeConversation(ClientFormat format, const std::string& body,
                                                                  const std::string& model, bool stream) {
    sdk::Value doc;
    try {
        doc = sdk::parseJson(body);
    } catch (const std::exception& e) {
        throw translate::TranslateError(std::string("request body is not valid JSON: ") + e.what());
    }
    if (format == ClientFormat::OpenAICompletions) doc = upstream::completionsToChat(doc);
    const auto f = upstream::translatableFormat(format);
    return std::make_shared<const translate::Conversation>(
        translate::codecFor(*f).decodeRequest(doc, model, stream));
}

}  // namespace

ProxyService::ProxyService(sdk::ConfigStore& config, sdk::CredentialSources& sources, sdk::Events& events,
                           sdk::Logger& logger, std::unique_ptr<Executor> executor, std::shared_ptr<Clock> clock)
    : config_(config),
      sources_(sources),
      events_(events),
      logger_(logger),
      executor_(std::move(executor)),
      clock_(std::move(clock)),
      pool_(registry_, *clock_),
      providerWires_(std::make_shared<const ProviderWires>()) {}

void ProxyService::reload(const sdk::SnapshotPtr& snapshot) {
    if (!snapshot) return;
    std::lock_guard lock(reloadMutex_);
    const bool reapplyAll = applied_ && needsFullReapply(*applied_, *snapshot);
    try {
        const std::vector<CredentialPtr> credentials = routableCredentials(*sources_.snapshot(), logger_, oauthUpstreamsFrom(*snapshot));
        auto wires = std::make_shared<ProviderWires>();
        for (const CredentialPtr& c : credentials) {
            auto& list = (*wires)[c->providerKey];
            if (std::find(list.begin(), list.end(), c->wire) == list.end()) list.push_back(c->wire);
        }
        pool_.apply(credentials, snapshot->getBool("force-model-prefix", false), reapplyAll);
        providerWires_.store(std::move(wires));
        applied_ = snapshot;
    } catch (const std::exception& e) {
        logger_.error(std::string("proxy: credentials not reloaded: ") + e.what());
    }
}

void ProxyService::handleModels(sdk::Request& req, sdk::Response& res) {
    const auto models = registry_.listed(clock_->now());
    const auto ua = req.header("User-Agent");
    if (ua && ua->rfind("claude-cli", 0) == 0) res.json(200, claudeModelList(models));
    else res.json(200, openAIModelList(models));
}

void ProxyService::handleGeminiModels(sdk::Request&, sdk::Response& res) {
    res.json(200, geminiModelList(registry_.listed(clock_->now())));
}

void ProxyService::handleGeminiModel(sdk::Request& req, sdk::Response& res) {
    const auto model = geminiModel(registry_.listed(clock_->now()), geminiPathRest(req.path()));
    if (model) res.json(200, *model);
    else writeJson(res, 404, R"({"error":{"message":"Not Found","type":"not_found"}})");
}

void ProxyService::recordUnserved(const sdk::Request& req, const sdk::Response& res) {
    publishCompleted(req, res, std::chrono::system_clock::now(), recordWants(), {}, {});
}

namespace {

/// The client's request as routing needs it, before any model is known:
/// format, body, the headers the builders read, and the config's per-request settings.
RouteRequest newRoute(const sdk::Request& req, ClientFormat format, const RoutingSettings& settings, bool recordLog) {
    RouteRequest route;
    ExecRequest& exec = route.exec;
    exec.format = format;
    exec.recordLog = recordLog;
    exec.body = req.body();
    // Only the Claude and Codex builders read client headers (Anthropic-Beta,
    // Session_id, ...); the OpenAI-compatible and Gemini routes skip the copy.
    if (format != ClientFormat::OpenAIChat && format != ClientFormat::OpenAICompletions &&
        format != ClientFormat::Gemini)
        exec.clientHeaders = req.headers();
    exec.globalProxyUrl = settings.proxyUrl;
    exec.passthroughHeaders = settings.passthroughHeaders;
    exec.streamKeepaliveSeconds = settings.streamKeepaliveSeconds;
    exec.nonstreamKeepaliveSeconds = settings.nonstreamKeepaliveSeconds;
    exec.requestRetry = settings.requestRetry;
    return route;
}

/// Gemini names model and method in the path (`/v1beta/models/<model>:<method>`)
/// and the stream mode in the method. False when answered here.
bool parseGeminiTarget(const sdk::Request& req, sdk::Response& res, ExecRequest& exec, std::string& model) {
    const std::string rest = geminiPathRest(req.path());
    const auto colon = rest.find(':');
    if (colon == std::string::npos || rest.find(':', colon + 1) != std::string::npos) {
        writeJson(res, 404, invalidRequestBody(req.path() + " not found."));
        return false;
    }
    model = rest.substr(0, colon);
    exec.geminiMethod = rest.substr(colon + 1);
    if (exec.geminiMethod != "generateContent" && exec.geminiMethod != "streamGenerateContent" &&
        exec.geminiMethod != "countTokens") {
        res.setStatus(200);  // the original writes nothing at all
        return false;
    }
    exec.stream = exec.geminiMethod == "streamGenerateContent";
    auto alt = req.query("alt");
    if (!alt) alt = req.query("$alt");
    if (alt && *alt != "sse") exec.geminiAlt = *alt;
    return true;
}

/// The other formats name model and stream mode in the body. False when answered here.
bool parseBodyTarget(sdk::Response& res, ExecRequest& exec, std::string& model) {
    const BodyFields fields = bodyFields(exec.body);
    model = fields.model;
    switch (exec.format) {
        case ClientFormat::Claude:
            exec.stream = fields.hasStream && !fields.streamFalse;
            break;
        case ClientFormat::ClaudeCountTokens:
            exec.stream = false;
            break;
        case ClientFormat::ResponsesCompact:
            if (fields.streamTrue) {
                writeJson(res, 400, invalidRequestBody("Streaming not supported for compact responses"));
                return false;
            }
            if (fields.hasStream) {
                if (auto copy = parseBody(exec.body)) {
                    copy->erase("stream");
                    exec.body = sdk::toJson(*copy);
                }
            }
            exec.stream = false;
            break;
        default:
            exec.stream = fields.streamTrue;
    }
    return true;
}

/// Step 1, parse: the model the client asked for, the stream mode, and the
/// body's shape (data-plane.md §2). False when answered here.
bool parseGeneration(const sdk::Request& req, sdk::Response& res, ExecRequest& exec, std::string& model) {
    const bool parsed = exec.format == ClientFormat::Gemini ? parseGeminiTarget(req, res, exec, model)
                                                            : parseBodyTarget(res, exec, model);
    if (!parsed) return false;
    if (auto problem = shapeProblem(exec.format, exec.body)) {
        writeJson(res, 400, clientErrorBody(exec.format, 400, *problem));
        return false;
    }
    return true;
}

void writeError(sdk::Response& res, const ErrorReply& e) { writeJson(res, e.status, e.body); }

}  // namespace

bool ProxyService::resolveProviders(sdk::Response& res, const std::string& model, RouteRequest& route) const {
    ExecRequest& exec = route.exec;
    SplitModel split = splitThinkingSuffix(model);
    if (lowerAscii(split.base) == "gpt-image-2") {
        writeError(res, genericError(503, "model gpt-image-2 is only supported on /v1/images/generations and "
                                          "/v1/images/edits"));
        return false;
    }
    std::string routeModel = model;
    if (split.base == "auto") {
        if (auto newest = registry_.newestAvailable(clock_->now())) {
            routeModel = *newest + (split.hasSuffix ? "(" + split.suffix + ")" : "");
            split = splitThinkingSuffix(routeModel);
        }
    }
    std::vector<std::string> providers = registry_.providersFor(split.base);
    if (providers.empty() && routeModel != split.base) providers = registry_.providersFor(routeModel);
    if (providers.empty()) {
        writeError(res, genericError(502, "unknown provider for model " + model));
        return false;
    }
    std::vector<std::string>& usable = providers;  // filtered in place, order kept
    const std::shared_ptr<const ProviderWires> wires = providerWires_.load();
    bool translating = false;
    usable.erase(std::remove_if(usable.begin(), usable.end(),
                                [&](const std::string& p) {
                                    const Reach reach = providerReach(*wires, p, exec.format);
                                    translating = translating || reach == Reach::Translated;
                                    return reach == Reach::None;
                                }),
                 usable.end());
    if (usable.empty()) {
        writeError(res, genericError(502, "model " + model +
                                              " is not available for this endpoint (format translation not supported)"));
        return false;
    }
    if (translating) {
        try {
            exec.conversation = decodeConversation(exec.format, exec.body, model, exec.stream);
        } catch (const std::exception& e) {
            writeJson(res, 400, clientErrorBody(exec.format, 400, e.what()));
            return false;
        }
    }
    route.providers = std::move(usable);
    route.routeModel = std::move(routeModel);
    exec.clientModel = std::move(split.base);
    return true;
}

RouteOutcome ProxyService::routeGeneration(const sdk::Request& req, RouteRequest& route,
                                           const RoutingSettings& settings, ResponseSink& sink) {
    std::optional<RequestContext> ctx;  // built for the first usage record, if any
    Conductor conductor(pool_, *executor_, *clock_, [this, &ctx, &req](const AttemptReport& report) {
        // Asked per attempt: a usage module may come or go during a long stream.
        if (!events_.hasSubscribers(kTopicUsageRecord)) return;
        if (!ctx) {
            ctx.emplace();
            if (const sdk::Value* p = req.attribute(sdk::kClientKeyAttribute)) ctx->principal = p->stringOr("");
            ctx->endpoint = std::string(sdk::methodName(req.method())) + " " + req.routePattern();
            ctx->requestId = req.requestId();
        }
        events_.publish(kTopicUsageRecord, usageRecord(report, *ctx));
    });
    return conductor.route(route, settings, sink);
}

void ProxyService::handleGeneration(sdk::Request& req, sdk::Response& res, ClientFormat format) {
    req.setAttribute(std::string(kHandledAttribute), sdk::Value(true));  // see kHandledAttribute
    const auto receivedAt = std::chrono::system_clock::now();
    const RoutingSettings settings = settingsFrom(*config_.snapshot());
    // Nobody wanting every request's record at the start: the full request
    // log's copies (attempt logs, the streamed body) are skipped for the whole request.
    const RecordWants wants = recordWants();
    RouteRequest route = newRoute(req, format, settings, wants.all);
    std::string model;
    if (!parseGeneration(req, res, route.exec, model) || !resolveProviders(res, model, route)) {
        publishCompleted(req, res, receivedAt, wants, {}, {});
        return;
    }
    ResponseSink sink(res, wants.all ? ResponseSink::kDefaultCaptureLimit : 0);
    RouteOutcome outcome = routeGeneration(req, route, settings, sink);
    writeOutcome(req, res, route, settings, outcome, sink);
    publishCompleted(req, res, receivedAt, wants, sink.captured(), outcome.attempts);
}

void ProxyService::writeOutcome(sdk::Request&, sdk::Response& res, const RouteRequest& route,
                                const RoutingSettings& settings, RouteOutcome& outcome, ResponseSink& sink) {
    using Kind = RouteOutcome::Kind;
    ExecResult& r = outcome.result;
    switch (outcome.kind) {
        case Kind::Committed:
        case Kind::Cancelled:
            if (!sink.begun() && outcome.kind == Kind::Cancelled) res.setStatus(499);
            return;
        case Kind::Success:
            if (sink.begun()) {
                sink.write(r.responseBody);  // non-stream keep-alives already committed the status
                return;
            }
            res.setStatus(r.responseStatus);
            for (const auto& [k, v] : r.responseHeaders) res.setHeader(k, v);
            // The type just set (setHeader replaces: the last one wins) without
            // asking the response for a copy; the body is moved, not copied.
            if (const std::string* type = lastContentType(r.responseHeaders)) {
                res.setBody(std::move(r.responseBody), *type);
            } else {
                res.setBody(std::move(r.responseBody), res.header("Content-Type").value_or(std::string(kJsonType)));
            }
            return;
        case Kind::UpstreamError:
        case Kind::NoCredential: {
            ErrorReply e;
            if (outcome.kind == Kind::NoCredential) {
                e = pickErrorReply(outcome.pickError.value_or(PickError{}), route.providers, route.routeModel,
                                   clock_->now(), settings.passthroughHeaders);
            } else {
                std::string text = errorText(r);
                if (r.errorBody.empty() && r.errorCode == "empty_stream" && text.rfind("empty_stream", 0) != 0)
                    text = "empty_stream: " + (text.empty() ? std::string("upstream stream closed before first payload") : text);
                e = genericError(r.status, text);
                if (settings.passthroughHeaders)
                    for (const auto& h : r.errorHeaders) e.headers.push_back(h);
            }
            if (sink.begun()) {
                sink.write(e.body);
                return;
            }
            for (const auto& [k, v] : e.headers) res.setHeader(k, v);
            writeJson(res, e.status, e.body);
            return;
        }
    }
}

ProxyService::RecordWants ProxyService::recordWants() const {
    return {events_.hasSubscribers(sdk::kTopicRequestCompleted), events_.hasSubscribers(sdk::kTopicRequestFailed)};
}

void ProxyService::publishCompleted(const sdk::Request& req, const sdk::Response& res,
                                    std::chrono::system_clock::time_point at, RecordWants wants,
                                    const std::string& streamed, const std::vector<AttemptTrace>& attempts) {
    // request.failed's rule is the error-only log's (logs.md §5.4): status >= 400
    // (this module reports no upstream_errors of its own).
    const bool failed = res.status() >= 400;
    if (!wants.all && !(wants.failed && failed)) return;
    try {
        CompletedResponse response;
        response.status = res.status();
        for (const char* name : {"Content-Type", "Retry-After", "X-Request-Id"})
            if (auto v = res.header(name)) response.headers.emplace_back(name, *v);
        response.body = res.streaming() ? streamed : res.body();
        const sdk::Value record = requestCompletedRecord(req, at, response, attempts);
        if (wants.all) events_.publish(sdk::kTopicRequestCompleted, record);
        if (wants.failed && failed) events_.publish(sdk::kTopicRequestFailed, record);
    } catch (const std::exception& e) {
        logger_.warning(std::string("proxy: request record not published: ") + e.what());
    }
}

}  // namespace cpa::proxy
