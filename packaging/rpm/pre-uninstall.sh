# $1 = 0: final removal (not an upgrade)
if [ "$1" = 0 ] && [ -d /run/systemd/system ]; then
  systemctl stop cpa-server.service >/dev/null 2>&1 || :
  systemctl disable cpa-server.service >/dev/null 2>&1 || :
fi
exit 0
