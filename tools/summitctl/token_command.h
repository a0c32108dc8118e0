// `summitctl token --role=ROLE [--subject=NAME] [--lifetime=12h]`: mints a
// development bearer token with the suite's key file (--auth_key_file) and
// prints it, for curl, grpc clients and summitctl --token.
#ifndef SUMMIT_TOOLS_SUMMITCTL_TOKEN_COMMAND_H_
#define SUMMIT_TOOLS_SUMMITCTL_TOKEN_COMMAND_H_

namespace summit::ctl {

int RunToken();

}  // namespace summit::ctl

#endif  // SUMMIT_TOOLS_SUMMITCTL_TOKEN_COMMAND_H_
