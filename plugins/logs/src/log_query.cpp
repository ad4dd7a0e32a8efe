#include "log_query.hpp"

#include "log_files.hpp"
#include "reverse_line_reader.hpp"

#include <algorithm>
#include <system_error>

namespace cpa::logs {

LogQueryResult queryLogs(const std::vector<std::filesystem::path>& filesOldestFirst, const LogQuery& query) {
    LogQueryResult result;
    std::vector<std::string> newestFirst;  // included lines, last line first
    std::vector<std::string> pending;      // untimestamped lines awaiting their entry's verdict
    std::int64_t latest = 0;
    const bool cutoff = query.cutoff > 0;
    bool stop = false;
    std::string line;

    for (auto it = filesOldestFirst.rbegin(); it != filesOldestFirst.rend() && !stop; ++it) {
        try {
            ReverseLineReader reader(*it);
            while (!stop && reader.previous(line)) {
                ++result.lineCount;
                const std::int64_t ts = lineTimestamp(line);
                if (ts == 0) {
                    // Continuation lines belong to the entry above them: without a
                    // cutoff everything is included, else they wait for that entry.
                    if (cutoff) {
                        pending.push_back(line);
                    } else {
                        newestFirst.push_back(line);
                    }
                } else {
                    latest = std::max(latest, ts);
                    if (!cutoff || ts > query.cutoff) {
                        for (std::string& p : pending) newestFirst.push_back(std::move(p));
                        newestFirst.push_back(line);
                    } else {
                        // Entries are appended in time order: everything before
                        // this one is at least as old.
                        stop = true;
                    }
                    pending.clear();
                }
                // Keep scanning past the limit only until a timestamp is known,
                // so latest-timestamp stays meaningful after continuation lines.
                if (query.limit && newestFirst.size() >= *query.limit && latest != 0) stop = true;
            }
        } catch (const std::system_error& e) {
            throw LogReadError("failed to read log file " + it->string() + ": " + e.code().message());
        } catch (const std::runtime_error& e) {
            throw LogReadError("failed to read log file " + it->string() + ": " + e.what());
        }
    }
    // Lines before the first entry of all files have no entry: excluded under a cutoff.

    if (query.limit && newestFirst.size() > *query.limit) newestFirst.resize(*query.limit);
    result.lines.assign(std::make_move_iterator(newestFirst.rbegin()), std::make_move_iterator(newestFirst.rend()));
    result.latestTimestamp = (latest == 0 || latest < query.cutoff) ? query.cutoff : latest;
    return result;
}

}  // namespace cpa::logs
