#include "logs_module.hpp"

#include "audit_recorder.hpp"
#include "log_files.hpp"
#include "log_query.hpp"
#include "request_log_files.hpp"
#include "request_log_format.hpp"

#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/observability.hpp>
#include <cpa/sdk/shared_store.hpp>
#include <cpa/sdk/text.hpp>
#include <cpa/sdk/url_encoding.hpp>

#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace cpa::logs {

namespace fs = std::filesystem;

namespace {

std::optional<std::int64_t> parseInt(std::string_view s) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

sdk::SnapshotPtr requireSnapshot(sdk::ModuleContext& ctx) {
    sdk::SnapshotPtr snap = ctx.config().snapshot();
    if (!snap) throw sdk::HttpError(503, "configuration unavailable");
    return snap;
}

std::string contentDisposition(const std::string& name) {
    bool plain = true;
    for (const unsigned char c : name) {
        if (c < 0x20 || c >= 0x7f) plain = false;
    }
    if (plain) {
        std::string quoted;
        for (const char c : name) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        return "attachment; filename=\"" + quoted + "\"";
    }
    return "attachment; filename*=UTF-8''" + sdk::percentEncode(name);
}

// The checks shared by both downloads (logs.md §7 steps 5–7).
void serveLogFile(const std::string& dir, const std::string& name, sdk::Response& res) {
    const Resolved r = resolveInside(dir, name);
    switch (r.status) {
        case ResolveStatus::InvalidPath: throw sdk::HttpError(400, "invalid log file path");
        case ResolveStatus::NotFound: throw sdk::HttpError(404, "log file not found");
        case ResolveStatus::NotAFile: throw sdk::HttpError(400, "invalid log file");
        case ResolveStatus::ReadError:
            throw sdk::HttpError(500, r.detail.rfind("failed to", 0) == 0 ? r.detail
                                                                           : "failed to read log file: " + r.detail);
        case ResolveStatus::Ok: break;
    }
    std::ifstream in(r.path, std::ios::binary);
    if (!in) throw sdk::HttpError(500, "failed to read log file: cannot open");
    std::ostringstream content;
    content << in.rdbuf();
    res.setHeader("Content-Disposition", contentDisposition(name));
    res.setBody(content.str(), "text/plain; charset=utf-8");
    res.setStatus(200);
}

}  // namespace

LogsModule::~LogsModule() { stop(); }

void LogsModule::configure(sdk::ModuleContext& context) {
    context_ = &context;
    using T = sdk::ConfigType;
    context.config().declare({"logs",
                              {{"logging-to-file", T::Bool},
                               {"logs-max-total-size-mb", T::Int},
                               {"error-logs-max-files", T::Int},
                               {"request-log", T::Bool}},
                              {}});
    logDir_ = context.paths().logDir;
    audit_ = std::make_shared<AuditLog>(logDir_, options_.maxMainLogBytes);
    if (auto shared = context.services().get(sdk::kSharedStoreService)) instance_ = shared->instance();
    setter_ = context.services().get(sdk::kLogWriterService);
    if (!setter_) context.logger().warning("no log writer service: main.log cannot be written");
}

void LogsModule::registerRoutes(sdk::RouteRegistry& routes) {
    const std::string base(sdk::kManagementBase);
    using sdk::Access;
    using sdk::Method;
    // Logs are per instance: behind a load balancer, say which one answered.
    const auto route = [this, &routes](Method m, const std::string& path,
                                       void (LogsModule::*handler)(sdk::Request&, sdk::Response&)) {
        routes.route(m, path, Access::Management, [this, handler](sdk::Request& q, sdk::Response& r) {
            if (!instance_.empty()) r.setHeader("X-CPA-Instance", instance_);
            (this->*handler)(q, r);
        });
    };
    route(Method::Get, base + "/logs", &LogsModule::getLogs);
    route(Method::Delete, base + "/logs", &LogsModule::deleteLogs);
    route(Method::Get, base + "/request-error-logs", &LogsModule::listErrorLogsRoute);
    route(Method::Get, base + "/request-error-logs/:name", &LogsModule::downloadErrorLog);
    route(Method::Get, base + "/request-log-by-id/:id", &LogsModule::downloadByRequestId);
    route(Method::Get, base + "/audit", &LogsModule::getAudit);
    routes.use(sdk::Phase::AfterAccess, 0, std::make_shared<AuditRecorder>(audit_, context_->config()));
}

void LogsModule::start() {
    sdk::ModuleContext* ctx = context_;
    requestLogs_ = std::make_shared<RequestLogWriter>(logDir_, ctx->build().version, options_.requestLogQueue,
                                                      [ctx](const std::string& m) { ctx->logger().warning(m); });
    apply(*context_->config().snapshot());
    if (auto sources = context_->services().get(sdk::kMetricSourcesService)) {
        metricSource_ = sources->add([this](std::vector<sdk::MetricSample>& out) {
            const char* help = "Log lines or request-log records dropped because the writer's queue was full.";
            out.push_back({"cpa_log_queue_dropped_total", help, true, R"(log="main")",
                           static_cast<double>(droppedLines())});
            std::shared_ptr<RequestLogWriter> requestLogs = requestLogs_;
            out.push_back({"cpa_log_queue_dropped_total", help, true, R"(log="request")",
                           static_cast<double>(requestLogs ? requestLogs->dropped() : 0)});
        });
    }
    subscription_ = context_->config().subscribe([this](const sdk::SnapshotPtr& next) {
        if (next) apply(*next);
    });
}

void LogsModule::followRequestLog(bool full) {
    if (!requestLogs_ || (requestEvents_ && requestEventsFull_ == full)) return;
    // The new subscription first, then the old one goes: no moment without either.
    std::shared_ptr<void> next = subscribeRequestLogs(*context_, requestLogs_, full);
    requestEvents_.swap(next);
    requestEventsFull_ = full;
}

void LogsModule::flushRequestLogs() {
    if (requestLogs_) requestLogs_->flush();
}

void LogsModule::stop() noexcept {
    metricSource_.reset();
    subscription_.reset();
    std::lock_guard lock(mutex_);
    requestEvents_.reset();
    requestLogs_.reset();  // the writer drains its queue when the last holder lets go
    cleaner_.reset();
    disableFileLogging();
    applied_ = false;
}

void LogsModule::apply(const sdk::ConfigSnapshot& snapshot) {
    const bool wantFile = snapshot.getBool("logging-to-file", false);
    std::int64_t maxMb = snapshot.getInt("logs-max-total-size-mb", 0);
    if (maxMb < 0) maxMb = 0;
    std::lock_guard lock(mutex_);
    followRequestLog(snapshot.getBool("request-log", false));
    if (applied_ && wantFile == fileLogging_ && maxMb == maxTotalMb_) return;
    applied_ = true;
    maxTotalMb_ = maxMb;
    // The cleaner restarts whenever the output is reconfigured (logs.md §2.5).
    cleaner_.reset();
    if (wantFile && !writer_) {
        try {
            enableFileLogging();
        } catch (const std::exception& e) {
            context_->logger().error(std::string("cannot log to file: ") + e.what());
        }
    } else if (!wantFile && writer_) {
        disableFileLogging();
    }
    fileLogging_ = writer_ != nullptr;
    if (maxMb > 0) {
        sdk::ModuleContext* ctx = context_;
        cleaner_ = std::make_unique<PeriodicCleaner>(
            logDir_, static_cast<std::uint64_t>(maxMb) * 1024 * 1024, fileLogging_, options_.cleanerInterval,
            [ctx](const std::string& message) { ctx->logger().warning(message); });
    }
}

void LogsModule::enableFileLogging() {
    if (!setter_) return;
    auto file = std::make_shared<MainLogFile>(logDir_, options_.maxMainLogBytes);
    writer_ = std::make_shared<AsyncLogWriter>(std::move(file), options_.queueCapacity);
    std::weak_ptr<AsyncLogWriter> weak = writer_;
    (*setter_)([weak](std::string_view line) {
        if (auto w = weak.lock()) w->enqueue(line);
    });
    context_->logger().info("logging to " + (fs::path(logDir_) / "main.log").string());
}

void LogsModule::disableFileLogging() noexcept {
    if (!writer_) return;
    try {
        // The sink lets go of our writer before its thread stops.
        if (setter_) (*setter_)({});
    } catch (...) {
    }
    writer_->stop();
    droppedBefore_ += writer_->dropped();
    writer_.reset();
    fileLogging_ = false;
}

std::uint64_t LogsModule::droppedLines() const {
    std::lock_guard lock(mutex_);
    return droppedBefore_ + (writer_ ? writer_->dropped() : 0);
}

void LogsModule::flush() {
    std::shared_ptr<AsyncLogWriter> w;
    {
        std::lock_guard lock(mutex_);
        w = writer_;
    }
    if (w) w->flush();
}

bool LogsModule::fileLoggingActive() const {
    std::lock_guard lock(mutex_);
    return writer_ != nullptr;
}

void LogsModule::getLogs(sdk::Request& req, sdk::Response& res) {
    const sdk::SnapshotPtr snap = requireSnapshot(*context_);
    if (!snap->getBool("logging-to-file", false)) throw sdk::HttpError(400, "logging to file disabled");
    if (logDir_.empty()) throw sdk::HttpError(500, "log directory not configured");

    LogQuery query;
    if (auto after = req.query("after")) {
        const auto v = parseInt(sdk::trimAscii(*after));
        if (v && *v > 0) query.cutoff = *v;
    }
    std::error_code ec;
    if (!fs::exists(logDir_, ec)) {
        res.json(200, sdk::Value::object({{"lines", sdk::Value::array()},
                                          {"line-count", 0},
                                          {"latest-timestamp", static_cast<long long>(query.cutoff)}}));
        return;
    }
    std::vector<fs::path> files;
    try {
        files = mainLogFilesOldestFirst(logDir_);
    } catch (const fs::filesystem_error& e) {
        throw sdk::HttpError(500, "failed to list log files: " + e.code().message());
    }
    if (auto limit = req.query("limit")) {
        const std::string text = sdk::trimAscii(*limit);
        if (!text.empty()) {
            const auto v = parseInt(text);
            if (!v) throw sdk::HttpError(400, "invalid limit: must be a positive integer");
            if (*v <= 0) throw sdk::HttpError(400, "invalid limit: must be greater than zero");
            query.limit = static_cast<std::size_t>(*v);
        }
    }
    flush();  // lines logged before this request are part of the answer
    LogQueryResult result;
    try {
        result = queryLogs(files, query);
    } catch (const LogReadError& e) {
        throw sdk::HttpError(500, e.what());
    }
    sdk::Value lines = sdk::Value::array();
    for (std::string& l : result.lines) lines.push(std::move(l));
    res.json(200, sdk::Value::object({{"lines", std::move(lines)},
                                      {"line-count", static_cast<long long>(result.lineCount)},
                                      {"latest-timestamp", static_cast<long long>(result.latestTimestamp)}}));
}

void LogsModule::deleteLogs(sdk::Request&, sdk::Response& res) {
    const sdk::SnapshotPtr snap = requireSnapshot(*context_);
    if (!snap->getBool("logging-to-file", false)) throw sdk::HttpError(400, "logging to file disabled");
    if (logDir_.empty()) throw sdk::HttpError(500, "log directory not configured");
    std::error_code ec;
    if (!fs::is_directory(logDir_, ec)) throw sdk::HttpError(404, "log directory not found");

    std::vector<fs::path> backups;
    bool hasMain = false;
    try {
        for (const fs::directory_entry& e : fs::directory_iterator(logDir_)) {
            std::error_code fe;
            if (!e.is_regular_file(fe)) continue;
            const std::string name = e.path().filename().string();
            if (name == "main.log") {
                hasMain = true;
            } else if (isMainLogBackup(name)) {
                backups.push_back(e.path());
            }
        }
    } catch (const fs::filesystem_error& e) {
        throw sdk::HttpError(500, "failed to list log directory: " + e.code().message());
    }

    if (hasMain) {
        std::shared_ptr<AsyncLogWriter> w;
        {
            std::lock_guard lock(mutex_);
            w = writer_;
        }
        try {
            if (w) {
                // D6: through the writer's own append-mode handle, after the
                // lines logged before this request reached it.
                w->flush();
                w->file().truncate();
            } else {
                const fs::path main = fs::path(logDir_) / "main.log";
                const int fd = ::open(main.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
                if (fd < 0 && errno != ENOENT) throw std::system_error(errno, std::generic_category());
                if (fd >= 0) ::close(fd);
            }
        } catch (const std::system_error& e) {
            throw sdk::HttpError(500, std::string("failed to truncate log file: ") + e.code().message());
        }
    }
    int removed = 0;
    for (const fs::path& p : backups) {
        std::error_code re;
        if (fs::remove(p, re)) {
            ++removed;
        } else if (re && re != std::errc::no_such_file_or_directory) {
            throw sdk::HttpError(500, "failed to remove " + p.filename().string() + ": " + re.message());
        }
    }
    res.json(200, sdk::Value::object(
                      {{"success", true}, {"message", "Logs cleared successfully"}, {"removed", removed}}));
}

void LogsModule::listErrorLogsRoute(sdk::Request&, sdk::Response& res) {
    const sdk::SnapshotPtr snap = requireSnapshot(*context_);
    sdk::Value files = sdk::Value::array();
    if (snap->getBool("request-log", false)) {
        res.json(200, sdk::Value::object({{"files", std::move(files)}}));
        return;
    }
    if (logDir_.empty()) throw sdk::HttpError(500, "log directory not configured");
    std::error_code ec;
    if (!fs::exists(logDir_, ec)) {
        res.json(200, sdk::Value::object({{"files", std::move(files)}}));
        return;
    }
    std::vector<ErrorLogInfo> infos;
    try {
        infos = listErrorLogs(logDir_);
    } catch (const fs::filesystem_error& e) {
        const std::string what = e.what();
        if (what.find("failed to read log info") != std::string::npos) {
            throw sdk::HttpError(500, "failed to read log info for " + e.path1().filename().string() + ": " +
                                          e.code().message());
        }
        throw sdk::HttpError(500, "failed to list request error logs: " + e.code().message());
    }
    for (const ErrorLogInfo& i : infos) {
        files.push(sdk::Value::object({{"name", i.name},
                                       {"size", static_cast<long long>(i.size)},
                                       {"modified", static_cast<long long>(i.modified)}}));
    }
    res.json(200, sdk::Value::object({{"files", std::move(files)}}));
}

void LogsModule::downloadErrorLog(sdk::Request& req, sdk::Response& res) {
    requireSnapshot(*context_);
    if (logDir_.empty()) throw sdk::HttpError(500, "log directory not configured");
    const std::string name = sdk::trimAscii(req.param("name"));
    if (name.empty() || name.find_first_of("/\\") != std::string::npos || name.find('\0') != std::string::npos) {
        throw sdk::HttpError(400, "invalid log file name");
    }
    if (name.rfind("error-", 0) != 0 || name.size() < 4 || name.compare(name.size() - 4, 4, ".log") != 0) {
        throw sdk::HttpError(404, "log file not found");
    }
    serveLogFile(logDir_, name, res);
}

void LogsModule::downloadByRequestId(sdk::Request& req, sdk::Response& res) {
    requireSnapshot(*context_);
    if (logDir_.empty()) throw sdk::HttpError(500, "log directory not configured");
    std::string id = sdk::trimAscii(req.param("id"));
    if (id.empty()) id = sdk::trimAscii(req.query("id").value_or(""));
    if (id.empty()) throw sdk::HttpError(400, "missing request ID");
    if (id.find_first_of("/\\") != std::string::npos) throw sdk::HttpError(400, "invalid request ID");
    std::error_code ec;
    if (!fs::is_directory(logDir_, ec)) throw sdk::HttpError(404, "log directory not found");
    std::optional<std::string> name;
    if (plausibleRequestId(id)) {
        try {
            name = findRequestLog(logDir_, id);
        } catch (const fs::filesystem_error& e) {
            throw sdk::HttpError(500, "failed to list log directory: " + e.code().message());
        }
    }
    if (!name) throw sdk::HttpError(404, "log file not found for the given request ID");
    serveLogFile(logDir_, *name, res);
}

// GET /audit?limit=&after= (issue 25): the latest entries, oldest first.
void LogsModule::getAudit(sdk::Request& req, sdk::Response& res) {
    std::size_t limit = 100;
    if (auto text = req.query("limit")) {
        const auto v = parseInt(sdk::trimAscii(*text));
        if (!v || *v <= 0 || *v > 1000) throw sdk::HttpError(400, "invalid limit: must be an integer from 1 to 1000");
        limit = static_cast<std::size_t>(*v);
    }
    std::uint64_t after = 0;
    if (auto text = req.query("after")) {
        const auto v = parseInt(sdk::trimAscii(*text));
        if (!v || *v < 0) throw sdk::HttpError(400, "invalid after: must be a non-negative integer");
        after = static_cast<std::uint64_t>(*v);
    }
    sdk::Value body = sdk::Value::object();
    try {
        body.set("entries", audit_->latest(limit, after));
    } catch (const std::exception& e) {
        throw sdk::HttpError(500, std::string("failed to read audit log: ") + e.what());
    }
    body.set("latest-id", static_cast<long long>(audit_->lastId()));
    res.setStatus(200);
    res.setBody(sdk::toJson(body), "application/json; charset=utf-8");
}

}  // namespace cpa::logs
