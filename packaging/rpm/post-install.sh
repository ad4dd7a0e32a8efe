getent group cpa >/dev/null || groupadd --system cpa
getent passwd cpa >/dev/null || useradd --system --gid cpa --home-dir /var/lib/cpa --no-create-home --shell /sbin/nologin cpa
install -d -o cpa -g cpa -m 0750 /var/lib/cpa /var/lib/cpa/auth /var/lib/cpa/data /var/log/cpa
chown root:cpa /etc/cpa && chmod 0770 /etc/cpa
[ -f /etc/cpa/config.yaml ] && chown cpa:cpa /etc/cpa/config.yaml && chmod 0640 /etc/cpa/config.yaml
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || :; fi
exit 0
