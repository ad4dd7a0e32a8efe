#pragma once
// Symbols crossing the plugin boundary (thrown, caught, dynamic_cast) must be
// visible: everything is built with -fvisibility=hidden.
#define CPA_SDK_API __attribute__((visibility("default")))
