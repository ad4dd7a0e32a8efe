#pragma once
// The four codecs (one file group each: chat_*, responses_*, claude_*, gemini_*).
#include "translate/codec.hpp"

namespace cpa::proxy::translate {

const Codec& chatCodec();
const Codec& responsesCodec();
const Codec& claudeCodec();
const Codec& geminiCodec();

}  // namespace cpa::proxy::translate
