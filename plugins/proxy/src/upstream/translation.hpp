#pragma once
// A translated attempt (docs/spec/translation.md §1): the client's request,
// decoded once into the canonical form by routing, is encoded here for the
// credential's wire format and handed to that format's own request builder
// as if a client of that format had sent it; the answer comes back through
// the provider's codec and the client's. Same-format attempts never come here.
#include "exec/executor.hpp"
#include "upstream/stream_framer.hpp"

#include "translate/codec.hpp"

#include <memory>
#include <optional>
#include <string>

namespace cpa::proxy::upstream {

/// The canonical format of a client endpoint; nullopt for endpoints that are
/// never translated (compact responses).
std::optional<translate::Format> translatableFormat(ClientFormat format);
/// The canonical format of a credential's wire; nullopt for wires of
/// third-party provider plugins that only serve their own format.
std::optional<translate::Format> wireFormat(std::string_view wire);

struct Translation {
    translate::Format client{};
    translate::Format target{};
    translate::Exchange exchange;
    /// The request as a native client of the target's format would have sent
    /// it: what the target's request builder receives.
    ExecRequest native;
    /// A count request the target cannot answer: counted here (no upstream call).
    bool countLocally{};
    bool completions{};  ///< the client speaks legacy completions over chat
};

/// The translation this attempt needs, or nullopt when the credential's wire
/// serves the client's format itself. Throws translate::TranslateError when
/// the target cannot express the request.
std::optional<Translation> prepareTranslation(const ExecRequest& request);

/// Upstream stream lines of the target's format → the client's events.
std::unique_ptr<StreamFramer> makeTranslatingFramer(const Translation& t);
/// A successful non-stream answer of the target's format → the client's body.
/// Throws translate::TranslateError when the body is not such an answer.
std::string translateReply(const Translation& t, const std::string& nativeBody, TokenUsage& usage);
/// An upstream error answer → the same error in the client's shape.
std::string translateError(const Translation& t, int status, const std::string& upstreamBody);
/// A rough local count (text bytes / 4) for targets without a count endpoint.
std::string localTokenCount(const Translation& t);
/// Canonical usage → the usage record of the target's family (the same
/// numbers a same-format request to that provider records, data-plane §10).
TokenUsage tokenUsageFor(translate::Format target, const translate::Usage& usage);

}  // namespace cpa::proxy::upstream
