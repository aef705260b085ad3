#!/usr/bin/env python3
"""Regenerate the bundled Athena Eye demo incident used by `triage demo`.

It replays, in time order, the deployment described in the Athena Eye postmortem
(sections 2.1-2.5) on a 1 GB GCP e2-micro (later e2-small) Ubuntu 22.04 VM, and writes:

  docker-compose.log  what `docker compose logs -t --no-color` prints for the three containers
  host.log            what `journalctl -o short-iso` prints on the VM over the same period
  expected.tsv        <file> TAB <1-based line> TAB <catalogue id>, one row per failure line
  README.md           the story with a timeline pointing at file:line

Deterministic: fixed seed, no clock, no network.  Run it again and the files come out
byte for byte the same:    python3 generate.py [OUTDIR]
"""
import calendar
import os
import random
import sys
import time

R = random.Random(20261127)
DAY = calendar.timegm((2026, 11, 27, 0, 0, 0))
HOST = "athena-eye-vm"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
USER = "xiaofeng_0209"
HOME = "/home/" + USER
PROJ = HOME + "/athena-eye"
USER_IP = "120.229.36.118"          # the developer's browser (home broadband)
IAP_IP = "35.235.244.33"            # GCP "SSH in browser" / IAP range
EXT_IP = "34.80.152.67"             # the VM's external address (asia-east1)
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
          "(KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36")
CURL = "curl/7.81.0"


def T(s):
    """'HH:MM:SS[.ffffff]' on 2026-11-27 -> microseconds since the epoch."""
    hms, _, frac = s.partition(".")
    h, m, sec = (int(x) for x in hms.split(":"))
    return (DAY + h * 3600 + m * 60 + sec) * 1_000_000 + (int((frac + "000000")[:6]) if frac else 0)


def gm(t):
    return time.gmtime(t // 1_000_000)


def hms(t):
    return time.strftime("%H:%M:%S", gm(t))


def iso_us(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", gm(t)) + ".%06dZ" % (t % 1_000_000)


def ymd_hms(t):
    return time.strftime("%Y-%m-%d %H:%M:%S", gm(t))


def clf(t):
    g = gm(t)
    return "%02d/%s/%04d:%s +0000" % (g.tm_mday, MONTHS[g.tm_mon - 1], g.tm_year, hms(t))


def hexs(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def b64(n):
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(R.choice(a) for _ in range(n))


def gotime(t, trim=False):
    """logrus/containerd time="..." field; dockerd pads to 9 digits, containerd trims zeros."""
    frac = "%06d%03d" % (t % 1_000_000, R.randint(0, 999))
    if trim:
        frac = frac.rstrip("0") or "0"
    return 'time="%s.%sZ"' % (time.strftime("%Y-%m-%dT%H:%M:%S", gm(t)), frac)


# --------------------------------------------------------------------------------------------
# the two outputs: entries are [time, seq, source, text, ids, mark]

COMPOSE = []   # time in ns (docker receive time), source = container name
JOURNAL = []   # time in us, source = journal identifier ("kernel", "sshd[702]", ...)
BOOT1_ID = "4c1d8a0f2b6e4f3a9d7c1e5b8a2f6d03"
BOOT2_ID = "a95e3b7c0d214e8f8b6a5c3d2e1f0a79"
BOOT2 = T("10:23:05")


LAST = {}   # per container: (source time, docker time) of the previous line, to keep write order


def dock(svc, t, text, ids=(), mark=None, lag=None):
    if lag is None:
        lag = R.randint(60, 420)
    ns = (t + lag) * 1000 + R.randint(0, 999)
    lt, lns = LAST.get(svc, (0, 0))
    if t >= lt and ns <= lns:
        ns = lns + R.randint(3000, 20000)
    LAST[svc] = (t, ns)
    COMPOSE.append([ns, len(COMPOSE), svc, text, tuple(ids), mark])


def dock_burst(svc, t, lines, lag=None):
    """Several lines written at once (one write(2)): docker stamps them microseconds apart."""
    if lag is None:
        lag = R.randint(60, 300)
    ns = (t + lag) * 1000
    for item in lines:
        text, ids, mark = item if isinstance(item, tuple) else (item, (), None)
        ns += R.randint(4000, 30000)
        COMPOSE.append([ns, len(COMPOSE), svc, text, tuple(ids), mark])
    LAST[svc] = (t, ns)


def jr(t, ident, text, ids=(), mark=None):
    JOURNAL.append([t, len(JOURNAL), ident, text, tuple(ids), mark])


def jrs(t, ident, lines, step=250):
    for i, item in enumerate(lines):
        text, ids, mark = item if isinstance(item, tuple) else (item, (), None)
        jr(t + i * step + R.randint(0, step // 3), ident, text, ids, mark)


# --------------------------------------------------------------------------------------------
# container lifecycle as the host journal sees it (kernel bridge/veth, networkd, containerd,
# dockerd, systemd scope units)

NETWORKD = {1: "systemd-networkd[512]", 2: "systemd-networkd[489]"}
CONTAINERD = {1: "containerd[3391]", 2: "containerd[598]"}
DOCKERD = {1: "dockerd[3472]", 2: "dockerd[702]"}
BRIDGE = "br-" + hexs(12)
ON_BRIDGE = {"n": 0}


def boot_of(t):
    return 2 if t >= BOOT2 else 1


class Ctr:
    def __init__(self, name, port):
        self.name = name
        self.port = port
        self.new_id()

    def new_id(self):
        self.cid = hexs(64)
        self.layer = hexs(64)


def ctr_init_mount(c, t):
    jr(t, "systemd[1]", "var-lib-docker-overlay2-%s\\x2dinit-merged.mount: Deactivated successfully." % c.layer)


def ctr_up(c, s, shim_pid, life):
    """Host lines for a container whose main process starts at s and lives `life` us."""
    b = boot_of(s)
    nd, cd = NETWORKD[b], CONTAINERD[b]
    c.vh, c.vp, c.netns = "veth" + hexs(7), "veth" + hexs(7), hexs(12)
    first = ON_BRIDGE["n"] == 0
    ON_BRIDGE["n"] += 1
    t0 = s - R.randint(170000, 230000)
    jr(t0, "kernel", "%s: port %d(%s) entered blocking state" % (BRIDGE, c.port, c.vh))
    jr(t0 + 31, "kernel", "%s: port %d(%s) entered disabled state" % (BRIDGE, c.port, c.vh))
    jr(t0 + 48, "kernel", "%s: entered allmulticast mode" % c.vh)
    jr(t0 + 57, "kernel", "%s: entered promiscuous mode" % c.vh)
    if first:
        jr(t0 + 1830, nd, "%s: Link UP" % BRIDGE)
    jr(t0 + 2040, nd, "%s: Link UP" % c.vh)
    t1 = t0 + R.randint(55000, 80000)
    for i, (plug, typ) in enumerate([("io.containerd.event.v1.publisher", "io.containerd.event.v1"),
                                     ("io.containerd.internal.v1.shutdown", "io.containerd.internal.v1"),
                                     ("io.containerd.ttrpc.v1.task", "io.containerd.ttrpc.v1")]):
        jr(t1 + i * 90, cd, '%s level=info msg="loading plugin \\"%s\\"..." runtime=io.containerd.runc.v2 type=%s'
           % (gotime(t1 + i * 90, True), plug, typ))
    jr(t1 + 420, cd, '%s level=info msg="starting signal loop" namespace=moby path=/run/containerd/io.containerd.runtime.v2.task/moby/%s pid=%d runtime=io.containerd.runc.v2'
       % (gotime(t1 + 420, True), c.cid, shim_pid))
    jr(t1 + R.randint(8000, 14000), "systemd[1]", "Started libcontainer container %s." % c.cid)
    t2 = s - R.randint(15000, 35000)
    jr(t2, "kernel", "eth0: renamed from %s" % c.vp)
    jr(t2 + 88, "kernel", "%s: port %d(%s) entered blocking state" % (BRIDGE, c.port, c.vh))
    jr(t2 + 97, "kernel", "%s: port %d(%s) entered forwarding state" % (BRIDGE, c.port, c.vh))
    jr(t2 + 1710, nd, "%s: Gained carrier" % c.vh)
    if first:
        jr(t2 + 1790, nd, "%s: Gained carrier" % BRIDGE)
    if life > 1_700_000:
        jr(t2 + R.randint(1_380_000, 1_560_000), nd, "%s: Gained IPv6LL" % c.vh)


def ctr_down(c, e, cpu, oom=False):
    """Host lines for the container's main process exiting at e."""
    b = boot_of(e)
    nd, cd, dd = NETWORKD[b], CONTAINERD[b], DOCKERD[b]
    ON_BRIDGE["n"] -= 1
    last = ON_BRIDGE["n"] == 0
    t = e + R.randint(700, 1500)
    jr(t, cd, '%s level=info msg="shim disconnected" id=%s namespace=moby' % (gotime(t, True), c.cid))
    jr(t + 45, cd, '%s level=warning msg="cleaning up after shim disconnected" id=%s namespace=moby' % (gotime(t + 45, True), c.cid))
    jr(t + 70, cd, '%s level=info msg="cleaning up dead shim" namespace=moby' % gotime(t + 70, True))
    t += R.randint(900, 2500)
    jr(t, dd, '%s level=info msg="ignoring event" container=%s module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"'
       % (gotime(t), c.cid))
    t += R.randint(1500, 4000)
    jr(t, "systemd[1]", "docker-%s.scope: Deactivated successfully." % c.cid)
    jr(t + 30, "systemd[1]", "docker-%s.scope: Consumed %s CPU time." % (c.cid, cpu))
    t += R.randint(15000, 40000)
    jr(t, "kernel", "%s: port %d(%s) entered disabled state" % (BRIDGE, c.port, c.vh))
    jr(t + 260, nd, "%s: Lost carrier" % c.vh)
    jr(t + 1900, "kernel", "%s: renamed from eth0" % c.vp)
    jr(t + 4100, "kernel", "%s: port %d(%s) entered disabled state" % (BRIDGE, c.port, c.vh))
    jr(t + 4180, "kernel", "%s (unregistering): left allmulticast mode" % c.vh)
    jr(t + 4190, "kernel", "%s (unregistering): left promiscuous mode" % c.vh)
    jr(t + 4200, "kernel", "%s: port %d(%s (unregistering)) entered disabled state" % (BRIDGE, c.port, c.vh))
    jr(t + 4900, nd, "%s: Link DOWN" % c.vh)
    if last:
        jr(t + 5100, nd, "%s: Lost carrier" % BRIDGE)
    jr(t + R.randint(9000, 16000), "systemd[1]", "run-docker-netns-%s.mount: Deactivated successfully." % c.netns)
    jr(t + R.randint(30000, 60000), "systemd[1]", "var-lib-docker-overlay2-%s-merged.mount: Deactivated successfully." % c.layer)


# --------------------------------------------------------------------------------------------
# small journal helpers

def sudo(t, pid, tty, cmd, dur, pwd=PROJ):
    jr(t, "sudo[%d]" % pid, "%s : TTY=%s ; PWD=%s ; USER=root ; COMMAND=%s" % (USER, tty, pwd, cmd))
    jr(t + 900, "sudo[%d]" % pid, "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=1000)" % USER)
    jr(t + dur, "sudo[%d]" % pid, "pam_unix(sudo:session): session closed for user root")


def ssh_login(t, pid, port, session, first_user_manager=None):
    jr(t, "sshd[%d]" % pid, "Accepted publickey for %s from %s port %d ssh2: ECDSA SHA256:%s" % (USER, IAP_IP, port, b64(43)))
    jr(t + 9000, "sshd[%d]" % pid, "pam_unix(sshd:session): session opened for user %s(uid=1000) by (uid=0)" % USER)
    if first_user_manager:
        um = first_user_manager
        jrs(t + 14000, "systemd[1]", ["Created slice User Slice of UID 1000.",
                                      "Starting User Runtime Directory /run/user/1000..."], 900)
        jr(t + 16500, "systemd-logind[560]" if t < BOOT2 else "systemd-logind[552]",
           "New session %d of user %s." % (session, USER))
        jrs(t + 19000, "systemd[1]", ["Finished User Runtime Directory /run/user/1000.",
                                      "Starting User Manager for UID 1000..."], 1200)
        jrs(t + 36000, "systemd[%d]" % um, [
            "pam_unix(systemd-user:session): session opened for user %s(uid=1000) by (uid=0)" % USER,
            "Queued start job for default target Main User Target.",
            "Created slice User Application Slice.",
            "Reached target Paths.",
            "Reached target Timers.",
            "Starting D-Bus User Message Bus Socket...",
            "Listening on GnuPG network certificate management daemon.",
            "Listening on GnuPG cryptographic agent and passphrase cache (access for web browsers).",
            "Listening on GnuPG cryptographic agent and passphrase cache (restricted).",
            "Listening on GnuPG cryptographic agent (ssh-agent emulation).",
            "Listening on GnuPG cryptographic agent and passphrase cache.",
            "Listening on debconf communication socket.",
            "Listening on REST API socket for snapd user session agent.",
            "Listening on D-Bus User Message Bus Socket.",
            "Reached target Sockets.",
            "Reached target Basic System.",
            "Reached target Main User Target.",
            "Startup finished in %dms." % R.randint(95, 180)], 1100)
        jr(t + 62000, "systemd[1]", "Started User Manager for UID 1000.")
        jr(t + 64000, "systemd[1]", "Started Session %d of User %s." % (session, USER))
    else:
        jr(t + 16500, "systemd-logind[560]" if t < BOOT2 else "systemd-logind[552]",
           "New session %d of user %s." % (session, USER))
        jr(t + 21000, "systemd[1]", "Started Session %d of User %s." % (session, USER))


def ssh_logout(t, pid, port, session, lingering, cpu):
    logind = "systemd-logind[560]" if t < BOOT2 else "systemd-logind[552]"
    jr(t, "sshd[%d]" % pid, "Received disconnect from %s port %d:11: disconnected by user" % (IAP_IP, port))
    jr(t + 150, "sshd[%d]" % pid, "Disconnected from user %s %s port %d" % (USER, IAP_IP, port))
    jr(t + 2200, "sshd[%d]" % pid, "pam_unix(sshd:session): session closed for user %s" % USER)
    jr(t + 3500, logind, "Session %d logged out. Waiting for processes to exit." % session)
    if not lingering:
        jr(t + 5200, "systemd[1]", "session-%d.scope: Deactivated successfully." % session)
        jr(t + 5230, "systemd[1]", "session-%d.scope: Consumed %s CPU time." % (session, cpu))
        jr(t + 6100, logind, "Removed session %d." % session)


PID_ANCHORS = [(T("09:02:00"), 760), (T("09:08:44"), 1280), (T("09:14:02"), 2231), (T("09:23:40"), 2305), (T("09:24:31"), 2331),
               (T("09:28:40"), 3301), (T("09:33:12"), 3488), (T("09:39:05"), 3720), (T("09:44:11"), 4188),
               (T("09:47:41"), 4402), (T("10:04:50"), 4961), (T("10:14:05"), 5561), (T("10:21:30"), 5810),
               (BOOT2, 1), (BOOT2 + 10_000_000, 690), (T("10:24:40"), 1302), (T("10:25:45"), 1452),
               (T("10:26:28"), 1700), (T("10:28:13"), 2390), (T("12:06:00"), 4870)]


def pid_at(t):
    """Roughly the next free PID at time t (PIDs only grow within a boot)."""
    prev = PID_ANCHORS[0]
    for a in PID_ANCHORS[1:]:
        if a[0] >= t:
            if a[1] < prev[1]:
                prev = (BOOT2, 1)
            return prev[1] + (a[1] - prev[1]) * (t - prev[0]) // max(1, a[0] - prev[0]) + R.randint(1, 9)
        prev = a
    return prev[1] + R.randint(1, 9)


def ssh_noise(t):
    ip = R.choice(["218.92.0.%d" % R.randint(20, 240), "61.177.172.%d" % R.randint(10, 200),
                   "194.55.224.%d" % R.randint(2, 250), "103.152.118.%d" % R.randint(2, 250),
                   "80.94.95.%d" % R.randint(2, 250), "183.81.169.%d" % R.randint(2, 250),
                   "45.135.232.%d" % R.randint(2, 250), "92.118.39.%d" % R.randint(2, 250)])
    pid = pid_at(t)
    port = R.randint(30000, 65000)
    k = R.random()
    s = "sshd[%d]" % pid
    if k < 0.45:
        user = R.choice(["admin", "ubuntu", "test", "oracle", "user", "git", "postgres", "deploy", "ftpuser", "guest"])
        jr(t, s, "Invalid user %s from %s port %d" % (user, ip, port))
        jr(t + R.randint(200000, 900000), s, "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (ip, port))
        jr(t + R.randint(900001, 950000), s, "Disconnected from invalid user %s %s port %d [preauth]" % (user, ip, port))
    elif k < 0.8:
        jr(t, s, "Received disconnect from %s port %d:11:  [preauth]" % (ip, port))
        jr(t + 120, s, "Disconnected from authenticating user root %s port %d [preauth]" % (ip, port))
    else:
        jr(t, s, "Connection closed by authenticating user root %s port %d [preauth]" % (ip, port))


def cron_hourly(t, pid):
    c = "CRON[%d]" % pid
    jr(t, c, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
    jr(t + 2100, c, "(root) CMD (   cd / && run-parts --report /etc/cron.hourly)")
    jr(t + 9300, c, "pam_unix(cron:session): session closed for user root")


# --------------------------------------------------------------------------------------------
# 2.1  first boot of the e2-micro, unattended-upgrades, the user's apt trouble

def boot1():
    t = T("09:01:52.004120")
    epoch = lambda x: "%d.%03d" % (x // 1_000_000, (x % 1_000_000) // 1000)
    k = [
        "Linux version 6.8.0-1044-gcp (buildd@lcy02-amd64-061) (x86_64-linux-gnu-gcc-12 (Ubuntu 12.3.0-1ubuntu1~22.04) 12.3.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #47~22.04.1-Ubuntu SMP Wed Oct 21 10:18:42 UTC 2026 (Ubuntu 6.8.0-1044.47~22.04.1-gcp 6.8.12)",
        "Command line: BOOT_IMAGE=/boot/vmlinuz-6.8.0-1044-gcp root=PARTUUID=6d3b2a0e-8f41-4c5e-9b7a-2e1f0c9d4a83 ro console=ttyS0",
        "BIOS-provided physical RAM map:",
        "BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] reserved",
        "BIOS-e820: [mem 0x0000000000001000-0x0000000000054fff] usable",
        "BIOS-e820: [mem 0x0000000000055000-0x000000000005ffff] reserved",
        "BIOS-e820: [mem 0x0000000000060000-0x0000000000097fff] usable",
        "BIOS-e820: [mem 0x0000000000098000-0x000000000009ffff] reserved",
        "BIOS-e820: [mem 0x0000000000100000-0x000000003e6b3fff] usable",
        "BIOS-e820: [mem 0x000000003e6b4000-0x000000003e6d5fff] ACPI data",
        "BIOS-e820: [mem 0x000000003e6d6000-0x000000003fffffff] reserved",
        "NX (Execute Disable) protection: active",
        "efi: EFI v2.7 by EDK II",
        "SMBIOS 2.4 present.",
        "DMI: Google Google Compute Engine/Google Compute Engine, BIOS Google 10/09/2026",
        "Hypervisor detected: KVM",
        "kvm-clock: Using msrs 4b564d01 and 4b564d00",
        "tsc: Detected 2199.998 MHz processor",
        "Memory: 902316K/1022828K available (22528K kernel code, 4453K rwdata, 14576K rodata, 4916K init, 4632K bss, 120252K reserved, 0K cma-reserved)",
        "smpboot: CPU0: Intel(R) Xeon(R) CPU @ 2.20GHz (family: 0x6, model: 0x4f, stepping: 0x0)",
        "smp: Brought up 1 node, 2 CPUs",
        "devtmpfs: initialized",
        "clocksource: Switched to clocksource kvm-clock",
        "Freeing unused kernel image (initmem) memory: 4916K",
        "Run /init as init process",
        "virtio_net virtio1 ens4: renamed from eth0",
        "EXT4-fs (sda1): mounted filesystem 5c9f3ad8-2e71-4b0a-9d16-8f2b7e4a1c30 ro with ordered data mode. Quota mode: none.",
    ]
    jrs(t, "kernel", k, 40000)
    t = T("09:01:54.118530")
    jrs(t, "systemd[1]", [
        "Inserted module 'autofs4'",
        "systemd 249.11-0ubuntu3.17 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT +GNUTLS -OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY -P11KIT -QRENCODE +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)",
        "Detected virtualization kvm.",
        "Detected architecture x86-64.",
        "Hostname set to <%s>." % HOST,
        "Initializing machine ID from VM UUID.",
        "Queued start job for default target Graphical Interface.",
        "Created slice Slice /system/modprobe.",
        "Created slice Slice /system/serial-getty.",
        "Created slice User and Session Slice.",
        "Reached target Slice Units.",
        "Listening on Journal Socket.",
        "Starting Journal Service...",
        "Started Journal Service."], 21000)
    jr(T("09:01:54.460112"), "kernel", "EXT4-fs (sda1): re-mounted 5c9f3ad8-2e71-4b0a-9d16-8f2b7e4a1c30 r/w. Quota mode: none.")
    jr(T("09:01:54.590881"), "systemd-journald[183]", "Received client request to flush runtime journal.")
    jrs(T("09:01:54.712344"), "multipathd[209]", ["--------start up--------", "read /etc/multipath.conf", "path checkers start up"], 4000)
    for i, n in enumerate([130552, 82624, 105808]):
        jr(T("09:01:55.030000") + i * 9100, "kernel", "loop%d: detected capacity change from 0 to %d" % (i, n))
    jr(T("09:01:55.210043"), "kernel", 'audit: type=1400 audit(%s:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="lsb_release" pid=412 comm="apparmor_parser"' % epoch(T("09:01:55.208000")))
    jrs(T("09:01:56.004400"), "systemd-networkd[512]", ["lo: Link UP", "lo: Gained carrier", "Enumeration completed"], 3000)
    jr(T("09:01:56.020118"), "systemd[1]", "Started Network Configuration.")
    jrs(T("09:01:56.301775"), "systemd-networkd[512]", [
        "ens4: Link UP", "ens4: Gained carrier",
        "ens4: DHCPv4 address 10.140.0.2/32, gateway 10.140.0.1 acquired from 169.254.169.254"], 60000)
    jr(T("09:01:57.380552"), "cloud-init[486]", "Cloud-init v. 25.2-0ubuntu1~22.04.1 running 'init-local' at Fri, 27 Nov 2026 09:01:57 +0000. Up 5.21 seconds.")
    jr(T("09:01:57.610035"), "systemd-resolved[514]", "Using system hostname '%s'." % HOST)
    jrs(T("09:01:57.640210"), "systemd[1]", ["Started Network Name Resolution.", "Reached target Network.", "Reached target Network is Online."], 8000)
    t = T("09:01:59.512004")
    ci = "cloud-init[598]"
    rows = [("ens4", "True", "10.140.0.2", "255.255.255.255", "global", "42:01:0a:8c:00:02"),
            ("ens4", "True", "fe80::4001:aff:fe8c:2/64", ".", "link", "42:01:0a:8c:00:02"),
            ("lo", "True", "127.0.0.1", "255.0.0.0", "host", "."),
            ("lo", "True", "::1/128", ".", "host", ".")]
    w = [6, 4, 24, 15, 6, 17]
    sep = "ci-info: +" + "+".join("-" * (x + 2) for x in w) + "+"
    fmt = lambda r: "ci-info: |" + "|".join(" " + v.center(x) + " " for v, x in zip(r, w)) + "|"
    title = "Net device info"
    inner = len(sep) - len("ci-info: ")
    tl = "ci-info: " + title.center(inner, "+")
    table = [tl, sep, fmt(("Device", "Up", "Address", "Mask", "Scope", "Hw-Address")), sep] + [fmt(r) for r in rows] + [sep]
    jrs(t, ci, ["Cloud-init v. 25.2-0ubuntu1~22.04.1 running 'init' at Fri, 27 Nov 2026 09:01:59 +0000. Up 7.36 seconds."] + table, 700)
    keys = []
    for kind in ["rsa", "ecdsa", "ed25519"]:
        keys += ["Generating public/private %s key pair." % kind,
                 "Your identification has been saved in /etc/ssh/ssh_host_%s_key" % kind,
                 "Your public key has been saved in /etc/ssh/ssh_host_%s_key.pub" % kind,
                 "The key fingerprint is:",
                 "SHA256:%s root@%s" % (b64(43), HOST)]
    jrs(T("09:02:00.118000"), ci, keys, 90000)
    jr(T("09:02:02.004711"), "dbus-daemon[553]", "[system] AppArmor D-Bus mediation is enabled")
    jrs(T("09:02:02.101882"), "systemd-logind[560]", ["New seat seat0.",
                                                      "Watching system buttons on /dev/input/event0 (Power Button)",
                                                      "Watching system buttons on /dev/input/event1 (Sleep Button)"], 3000)
    jr(T("09:02:02.340551"), "chronyd[630]", "chronyd version 4.2 starting (+CMDMON +NTP +REFCLOCK +RTC +PRIVDROP +SCFILTER +SIGND +ASYNCDNS +NTS +SECHASH +IPV6 -DEBUG)")
    jrs(T("09:02:02.901225"), "snapd[566]", ["overlord.go:272: Acquiring state lock file",
                                             "overlord.go:277: Acquired state lock file",
                                             "daemon.go:247: started snapd/2.67.1+22.04 (series 16; classic) ubuntu/22.04 (amd64) linux/6.8.0-1044-gcp."], 40000)
    jrs(T("09:02:03.612008"), "google_guest_agent[650]", ["GCE Agent Started (version 20251015.00)",
                                                          "Starting the scheduler to run jobs",
                                                          "Created google sudoers file"], 90000)
    jr(T("09:02:03.990031"), "systemd[1]", "Started Google Compute Engine Guest Agent.")
    jrs(T("09:02:04.225110"), "sshd[702]", ["Server listening on 0.0.0.0 port 22.", "Server listening on :: port 22."], 300)
    jr(T("09:02:04.231882"), "systemd[1]", "Started OpenBSD Secure Shell server.")
    jr(T("09:02:05.880120"), "google_osconfig_agent[688]", "2026-11-27T09:02:05.8791Z OSConfig Agent (version 20251001.00-0ubuntu1~22.04.0) started.")
    jr(T("09:02:07.041772"), "chronyd[630]", "Selected source 169.254.169.254 (metadata.google.internal)")
    jrs(T("09:02:08.310555"), "systemd[1]", [
        "Reached target Multi-User System.", "Reached target Graphical Interface.",
        "Starting Record Runlevel Change in UTMP...", "Finished Record Runlevel Change in UTMP.",
        "Startup finished in 2.118s (kernel) + 14.032s (userspace) = 16.151s."], 6000)
    jr(T("09:02:13.402118"), "cloud-init[771]", "Cloud-init v. 25.2-0ubuntu1~22.04.1 running 'modules:config' at Fri, 27 Nov 2026 09:02:13 +0000. Up 21.09 seconds.")
    jr(T("09:02:17.118402"), "cloud-init[812]", "Cloud-init v. 25.2-0ubuntu1~22.04.1 running 'modules:final' at Fri, 27 Nov 2026 09:02:16 +0000. Up 24.60 seconds.")
    jr(T("09:02:17.260031"), "cloud-init[812]", "Cloud-init v. 25.2-0ubuntu1~22.04.1 finished at Fri, 27 Nov 2026 09:02:17 +0000. Datasource DataSourceGCELocal.  Up 24.95 seconds")

    # background apt: lists first, then unattended-upgrades (pid 2187) installing updates
    jr(T("09:03:40.112008"), "systemd[1]", "Starting Daily apt download activities...")
    jrs(T("09:05:02.550412"), "systemd[1]", ["apt-daily.service: Deactivated successfully.",
                                             "Finished Daily apt download activities.",
                                             "apt-daily.service: Consumed 31.882s CPU time."], 900)
    jr(T("09:12:15.301144"), "systemd[1]", "Starting Daily apt upgrade and clean activities...")
    jrs(T("09:16:55.880231"), "systemd[1]", ["Starting Cleanup of Temporary Directories...",
                                             "systemd-tmpfiles-clean.service: Deactivated successfully.",
                                             "Finished Cleanup of Temporary Directories."], 30000)

    # the developer's first login (GCP creates the account on the fly)
    ga = "google_guest_agent[650]"
    jr(T("09:08:44.512008"), ga, "Creating user %s." % USER)
    jrs(T("09:08:44.530771"), "useradd[1281]", ["new group: name=%s, GID=1001" % USER,
                                                "new user: name=%s, UID=1000, GID=1001, home=%s, shell=/bin/bash, from=none" % (USER, HOME)], 2000)
    for i, g in enumerate(["adm", "dip", "lxd", "plugdev", "video", "google-sudoers"]):
        jr(T("09:08:44.610000") + i * 21000, "gpasswd[%d]" % (1288 + i), "user %s added by root to group %s" % (USER, g))
    jr(T("09:08:44.801230"), ga, "Updating keys for user %s." % USER)
    ssh_login(T("09:08:47.210553"), 1302, 44812, 1, first_user_manager=1310)


DEPLOY_HEADER = '== %s %s @ %s user=%s groups="%s" screen=%s =='
GROUPS_OLD = "%s adm dip video plugdev lxd google-sudoers" % USER
GROUPS_NEW = GROUPS_OLD + " docker"


def deploy(pid, t, step, groups, screen):
    ident = "athena-deploy.sh[%d]" % pid
    jr(t, ident, DEPLOY_HEADER % ("./athena-deploy.sh", step, iso_us(t)[:19] + "Z", USER, groups, screen))
    return ident


def apt_trouble():
    # run 1 (inside `screen -S deploy`, pts/1): add the Docker apt repo by hand, update, install
    d = deploy(2231, T("09:14:02.301553"), "setup", GROUPS_OLD, "2214.deploy")
    t = T("09:14:02.318220")
    jr(t, d, "+ sudo install -m 0755 -d /etc/apt/keyrings")
    sudo(t + 4000, 2236, "pts/1", "/usr/bin/install -m 0755 -d /etc/apt/keyrings", 21000)
    t = T("09:14:02.905117")
    jr(t, d, "+ curl -fsSL https://download.docker.com/linux/ubuntu/gpg")
    jr(t + 310, d, "+ sudo gpg --dearmor -o /etc/apt/keyrings/docker.gpg")
    sudo(t + 5200, 2241, "pts/1", "/usr/bin/gpg --dearmor -o /etc/apt/keyrings/docker.gpg", 520000)
    t = T("09:14:03.611804")
    jr(t, d, "+ echo 'deb [arch=amd64] https://download.docker.com/linux/ubuntu jammy stable'")
    jr(t + 280, d, "+ sudo tee /etc/apt/sources.list.d/docker.list")
    sudo(t + 4100, 2249, "pts/1", "/usr/bin/tee /etc/apt/sources.list.d/docker.list", 19000)
    jr(t + 26000, d, "deb [arch=amd64] https://download.docker.com/linux/ubuntu jammy stable")
    t = T("09:14:04.102330")
    jr(t, d, "+ sudo apt-get update")
    sudo(t + 4300, 2253, "pts/1", "/usr/bin/apt-get update", 7_390_000)
    nopub = "The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 7EA0A9C3F273FCD8"
    mirror = "http://asia-east1.gce.archive.ubuntu.com/ubuntu"
    out = [
        "Hit:1 %s jammy InRelease" % mirror,
        "Hit:2 %s jammy-updates InRelease" % mirror,
        "Hit:3 %s jammy-backports InRelease" % mirror,
        "Get:4 https://download.docker.com/linux/ubuntu jammy InRelease [48.8 kB]",
        "Get:5 http://security.ubuntu.com/ubuntu jammy-security InRelease [129 kB]",
        "Err:4 https://download.docker.com/linux/ubuntu jammy InRelease",
        ("  " + nopub, ["apt-nopubkey"], "nopubkey"),
        "Get:6 http://security.ubuntu.com/ubuntu jammy-security/main amd64 Packages [2,871 kB]",
        "Get:7 http://security.ubuntu.com/ubuntu jammy-security/main Translation-en [412 kB]",
        "Get:8 http://security.ubuntu.com/ubuntu jammy-security/universe amd64 Packages [1,008 kB]",
        "Fetched 4,469 kB in 6s (745 kB/s)",
        "Reading package lists...",
        ("W: GPG error: https://download.docker.com/linux/ubuntu jammy InRelease: " + nopub, ["apt-nopubkey"], None),
        ("E: The repository 'https://download.docker.com/linux/ubuntu jammy InRelease' is not signed.", ["apt-nopubkey"], "notsigned"),
        "N: Updating from such a repository can't be done securely, and is therefore disabled by default.",
        "N: See apt-secure(8) manpage for repository creation and user configuration details.",
    ]
    times = [0.61, 0.63, 0.66, 0.91, 1.02, 1.18, 1.181, 2.40, 3.05, 4.71, 6.52, 6.60, 7.31, 7.311, 7.312, 7.313]
    for (item, dt) in zip(out, times):
        text, ids, mark = item if isinstance(item, tuple) else (item, (), None)
        jr(t + int(dt * 1_000_000) + R.randint(100, 900), d, text, ids, mark)
    t = T("09:14:11.512871")
    cmd = "apt-get -o DPkg::Lock::Timeout=600 install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin"
    jr(t, d, "+ sudo " + cmd)
    sudo(t + 4800, 2270, "pts/1", "/usr/bin/" + cmd, T("09:24:31.902554") - t)
    jr(t + 1_210_000, d, "Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 2187 (unattended-upgr)...",
       ["apt-lock"], "lock")

    # a second SSH window: find the apt process and kill it
    ssh_login(T("09:23:40.118203"), 2310, 51934, 2)
    sudo(T("09:24:31.655002"), 2331, "pts/2", "/usr/bin/kill -9 2187", 12000, pwd=HOME)
    jr(T("09:24:31.901877"), d, "E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' to correct the problem. ",
       ["dpkg-interrupted"], "dpkg")
    jrs(T("09:24:34.210455"), "systemd[1]", ["apt-daily-upgrade.service: Deactivated successfully.",
                                             "Finished Daily apt upgrade and clean activities.",
                                             "apt-daily-upgrade.service: Consumed 3min 41.602s CPU time."], 900)
    # finish what unattended-upgrades left half-configured (new kernel, openssh-server ...)
    sudo(T("09:25:05.330118"), 2352, "pts/2", "/usr/bin/dpkg --configure -a", T("09:27:02.118442") - T("09:25:05.330118"), pwd=HOME)
    jr(T("09:25:39.880214"), "systemd[1]", "Reloading.")
    jr(T("09:25:41.002318"), "systemd[1]", "Stopping OpenBSD Secure Shell server...")
    jr(T("09:25:41.004455"), "sshd[702]", "Received signal 15; terminating.")
    jrs(T("09:25:41.012008"), "systemd[1]", ["ssh.service: Deactivated successfully.",
                                             "Stopped OpenBSD Secure Shell server.",
                                             "Starting OpenBSD Secure Shell server..."], 1500)
    jrs(T("09:25:41.100310"), "sshd[2398]", ["Server listening on 0.0.0.0 port 22.", "Server listening on :: port 22."], 300)
    jr(T("09:25:41.101990"), "systemd[1]", "Started OpenBSD Secure Shell server.")
    jr(T("09:26:48.402117"), "systemd[1]", "Reloading.")
    ssh_logout(T("09:27:30.551208"), 2310, 51934, 2, False, "2.913s")

    # run 2: give up on the hand-made repo, use get.docker.com (pinned to 28.5)
    d = deploy(3301, T("09:28:40.412009"), "install-docker", GROUPS_OLD, "2214.deploy")
    t = T("09:28:40.430118")
    jr(t, d, "+ sudo rm -f /etc/apt/sources.list.d/docker.list /etc/apt/keyrings/docker.gpg")
    sudo(t + 4000, 3306, "pts/1", "/usr/bin/rm -f /etc/apt/sources.list.d/docker.list /etc/apt/keyrings/docker.gpg", 18000)
    jr(t + 60000, d, "+ curl -fsSL https://get.docker.com -o /tmp/get-docker.sh")
    jr(t + 890000, d, "+ sudo sh /tmp/get-docker.sh --version 28.5")
    sudo(t + 894000, 3318, "pts/1", "/usr/bin/sh /tmp/get-docker.sh --version 28.5", int(202.9 * 1_000_000))
    g = [(0.93, "# Executing docker install script, commit: 7d96bd3c5235ab2121bcb855dd7b3f3f37128ed4"),
         (0.95, "+ sh -c apt-get -qq update >/dev/null"),
         (8.41, "+ sh -c DEBIAN_FRONTEND=noninteractive apt-get -y -qq install ca-certificates curl >/dev/null"),
         (11.02, "+ sh -c install -m 0755 -d /etc/apt/keyrings"),
         (11.05, '+ sh -c curl -fsSL "https://download.docker.com/linux/ubuntu/gpg" -o /etc/apt/keyrings/docker.asc'),
         (11.61, "+ sh -c chmod a+r /etc/apt/keyrings/docker.asc"),
         (11.63, '+ sh -c echo "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu jammy stable" > /etc/apt/sources.list.d/docker.list'),
         (11.66, "+ sh -c apt-get -qq update >/dev/null"),
         (19.20, "INFO: Searching repository for VERSION '28.5'"),
         (20.85, "+ sh -c DEBIAN_FRONTEND=noninteractive apt-get -y -qq install docker-ce=5:28.5.2-1~ubuntu.22.04~jammy docker-ce-cli=5:28.5.2-1~ubuntu.22.04~jammy containerd.io docker-compose-plugin docker-ce-rootless-extras=5:28.5.2-1~ubuntu.22.04~jammy docker-buildx-plugin >/dev/null"),
         (200.11, "+ sh -c docker version")]
    for dt, line in g:
        jr(t + 890000 + int(dt * 1_000_000), d, line)
    ver = ["Client: Docker Engine - Community",
           " Version:           28.5.2",
           " API version:       1.51",
           " Go version:        go1.24.9",
           " Git commit:        ecc6942",
           " Built:             Wed Nov  5 14:43:25 2025",
           " OS/Arch:           linux/amd64",
           " Context:           default",
           "",
           "Server: Docker Engine - Community",
           " Engine:",
           "  Version:          28.5.2",
           "  API version:      1.51 (minimum version 1.24)",
           "  Go version:       go1.24.9",
           "  Git commit:       89c5e8f",
           "  Built:            Wed Nov  5 14:43:25 2025",
           "  OS/Arch:          linux/amd64",
           "  Experimental:     false",
           " containerd:",
           "  Version:          v1.7.29",
           "  GitCommit:        442cb34bda9a6a0fed82a2ca7cade05c5c749582",
           " runc:",
           "  Version:          1.3.3",
           "  GitCommit:        v1.3.3-0-gd842d771",
           " docker-init:",
           "  Version:          0.19.0",
           "  GitCommit:        de40ad0",
           "",
           "================================================================================",
           "",
           "To run Docker as a non-privileged user, consider setting up the",
           "Docker daemon in rootless mode for your user:",
           "",
           "    dockerd-rootless-setuptool.sh install",
           "",
           "Visit https://docs.docker.com/go/rootless/ to learn about rootless mode.",
           "",
           "",
           "To run the Docker daemon as a fully privileged service, but granting non-root",
           "users access, refer to https://docs.docker.com/go/daemon-access/",
           "",
           "WARNING: Access to the remote API on a privileged Docker daemon is equivalent",
           "         to root access on the host. Refer to https://docs.docker.com/go/attack-surface/",
           "         for more information.",
           "",
           "================================================================================",
           ""]
    jrs(t + 890000 + int(201.62 * 1_000_000), d, ver[:28], 400)
    jrs(t + 890000 + int(202.31 * 1_000_000), d, ver[28:], 300)

    # what the package install does to the host
    jrs(T("09:30:40.551211"), "groupadd[3402]", ["group added to /etc/group: name=docker, GID=999",
                                                  "group added to /etc/gshadow: name=docker",
                                                  "new group: name=docker, GID=999"], 1500)
    jr(T("09:30:51.330872"), "systemd[1]", "Reloading.")
    jr(T("09:30:52.004410"), "systemd[1]", "Starting containerd container runtime...")
    cd = "containerd[3391]"
    t = T("09:30:52.118203")
    cmsgs = ['level=info msg="starting containerd" revision=442cb34bda9a6a0fed82a2ca7cade05c5c749582 version=v1.7.29',
             'level=info msg="loading plugin \\"io.containerd.snapshotter.v1.overlayfs\\"..." type=io.containerd.snapshotter.v1',
             'level=info msg="loading plugin \\"io.containerd.metadata.v1.bolt\\"..." type=io.containerd.metadata.v1',
             'level=info msg="loading plugin \\"io.containerd.runtime.v2.task\\"..." type=io.containerd.runtime.v2',
             'level=info msg="loading plugin \\"io.containerd.grpc.v1.cri\\"..." type=io.containerd.grpc.v1',
             'level=info msg="Start subscribing containerd event"',
             'level=info msg=serving... address=/run/containerd/containerd.sock.ttrpc',
             'level=info msg=serving... address=/run/containerd/containerd.sock',
             'level=info msg="Start event monitor"',
             'level=info msg="Start snapshots syncer"',
             'level=info msg="containerd successfully booted in 0.071318s"']
    for i, m in enumerate(cmsgs):
        tt = t + i * 6100 + R.randint(0, 999)
        jr(tt, cd, "%s %s" % (gotime(tt, True), m))
    jr(T("09:30:52.196554"), "systemd[1]", "Started containerd container runtime.")
    jr(T("09:31:29.880231"), "systemd[1]", "Reloading.")
    jr(T("09:31:30.402118"), "systemd[1]", "Starting Docker Socket for the API...")
    jr(T("09:31:30.404551"), "systemd[1]", "Listening on Docker Socket for the API.")
    jr(T("09:31:30.410238"), "systemd[1]", "Starting Docker Application Container Engine...")
    dockerd_start(T("09:31:30.702118"), DOCKERD[1], fresh=True)
    jr(T("09:31:34.180554"), "systemd[1]", "Started Docker Application Container Engine.")
    jr(T("09:31:41.009712"), "systemd[1]", "Reloading.")


def dockerd_start(t, dd, fresh):
    msgs = ['level=info msg="Starting up"',
            'level=info msg="OTEL tracing is not configured, using no-op tracer provider"',
            'level=info msg="detected 127.0.0.53 nameserver, assuming systemd-resolved, so using resolv.conf: /run/systemd/resolve/resolv.conf"',
            'level=info msg="Creating a containerd client" address=/run/containerd/containerd.sock timeout=1m0s']
    steps = [0, 2100, 4900, 9100]
    if fresh:
        msgs.append('level=info msg="Loading containers: start."')
        steps.append(1_080_000)
        jrs(t + 950_000, "kernel", ["bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.",
                                    "Bridge firewalling registered"], 600)
        jr(t + 1_600_000, "kernel", "Initializing XFRM netlink socket")
    else:
        msgs.append('level=info msg="[graphdriver] using prior storage driver: overlay2"')
        steps.append(240_000)
        msgs.append('level=info msg="Loading containers: start."')
        steps.append(262_000)
    msgs += ['level=info msg="Loading containers: done."',
             'level=info msg="Docker daemon" commit=89c5e8f containerd-snapshotter=false storage-driver=overlay2 version=28.5.2',
             'level=info msg="Initializing buildkit"',
             'level=info msg="Completed buildkit initialization"',
             'level=info msg="Daemon has completed initialization"',
             'level=info msg="API listen on /run/docker.sock"']
    base = steps[-1]
    steps += [base + 1_900_000, base + 1_960_000, base + 1_990_000, base + 2_410_000, base + 2_470_000, base + 2_480_000]
    for m, dt in zip(msgs, steps):
        dt += R.randint(0, 999)
        jr(t + dt, dd, "%s %s" % (gotime(t + dt), m))


# --------------------------------------------------------------------------------------------
# 2.2  docker group: denied before re-login, denied again inside the old screen, fine after

DENIED = ('permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: '
          'Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json": dial unix /var/run/docker.sock: connect: permission denied')


def socket_trouble():
    d = deploy(3488, T("09:33:12.118552"), "up", GROUPS_OLD, "none")
    jr(T("09:33:12.130771"), d, "+ docker ps -q")
    jr(T("09:33:12.201334"), d, DENIED, ["docker-sock-denied"], "denied1")
    jr(T("09:33:12.203118"), d, "+ exit 1")
    sudo(T("09:34:05.412118"), 3512, "pts/0", "/usr/sbin/usermod -aG docker %s" % USER, 61000, pwd=PROJ)
    jrs(T("09:34:05.440551"), "usermod[3515]", ["add '%s' to group 'docker'" % USER,
                                                "add '%s' to shadow group 'docker'" % USER], 1200)
    # log out of session 1; the screen started in it keeps the session alive
    ssh_logout(T("09:34:40.338201"), 1302, 44812, 1, True, None)
    ssh_login(T("09:35:20.551877"), 3531, 45230, 3)
    # `screen -r deploy`: the old screen still has the groups it was started with
    d = deploy(3561, T("09:36:14.201118"), "up", GROUPS_OLD, "2214.deploy")
    jr(T("09:36:14.215443"), d, "+ docker ps -q")
    jr(T("09:36:14.290012"), d, DENIED, ["docker-sock-denied"], "denied2")
    jr(T("09:36:14.291870"), d, "+ exit 1")
    # `screen -S deploy -X quit`: the last process of session 1 is gone
    jrs(T("09:38:30.502118"), "systemd[1]", ["session-1.scope: Deactivated successfully.",
                                             "session-1.scope: Consumed 1min 12.405s CPU time."], 40)
    jr(T("09:38:30.508871"), "systemd-logind[560]", "Removed session 1.")


# --------------------------------------------------------------------------------------------
# 2.3  first `docker compose up`: db initialises, gets OOM-killed; my.cnf trouble; resize

DB = Ctr("athena_eye_db", 1)
BACKEND = Ctr("athena_eye_backend", 2)
FRONTEND = Ctr("athena_eye_frontend", 3)


def mysql(t, thr, prio, code, sub, msg, ids=(), mark=None):
    dock(DB.name, t, "%s %d [%s] [%s] [%s] %s" % (iso_us(t), thr, prio, code, sub, msg), ids, mark)


def entry(t, level, msg, ids=(), mark=None):
    dock(DB.name, t, "%s+00:00 [%s] [Entrypoint]: %s" % (ymd_hms(t), level, msg), ids, mark)


ENTRY_STARTED = "Entrypoint script for MySQL Server 8.0.36-1.el8 started."
SKIP_HOST_CACHE = "The syntax '--skip-host-cache' is deprecated and will be removed in a future release. Please use SET GLOBAL host_cache_size=0 instead."


def compose_up_first():
    d = deploy(3720, T("09:39:05.118201"), "up", GROUPS_NEW, "3709.deploy")
    jr(T("09:39:05.130552"), d, "+ docker ps -q")
    jr(T("09:39:05.402118"), d, "+ docker compose up -d --build")
    t = T("09:39:06.212883")
    layers = [hexs(12) for _ in range(10)]
    jr(t, d, " db Pulling")
    for i, l in enumerate(layers):
        jr(t + 410_000 + i * 3100, d, " %s Pulling fs layer" % l)
    done = T("09:39:31.000000")
    for i, l in enumerate(layers):
        tt = done + int(i * 4.9 * 1_000_000) + R.randint(0, 400000)
        jr(tt, d, " %s Download complete" % l)
        jr(tt + R.randint(1_400_000, 2_600_000), d, " %s Pull complete" % l)
    jr(T("09:40:21.338120"), d, " db Pulled")
    build = [
        (0.00, '#0 building with "default" instance using docker driver'),
        (0.05, "#1 [backend internal] load build definition from Dockerfile"),
        (0.06, "#1 transferring dockerfile: 418B done"),
        (0.07, "#1 DONE 0.0s"),
        (0.08, "#2 [frontend internal] load build definition from Dockerfile"),
        (0.09, "#2 transferring dockerfile: 291B done"),
        (0.10, "#2 DONE 0.0s"),
        (0.12, "#3 [backend internal] load metadata for docker.io/library/python:3.11-slim"),
        (1.71, "#3 DONE 1.6s"),
        (1.72, "#4 [frontend internal] load metadata for docker.io/library/nginx:1.25.3"),
        (2.38, "#4 DONE 0.7s"),
        (2.40, "#5 [backend 1/5] FROM docker.io/library/python:3.11-slim@sha256:%s" % hexs(64)),
        (2.41, "#6 [frontend 1/3] FROM docker.io/library/nginx:1.25.3@sha256:%s" % hexs(64)),
        (33.90, "#6 DONE 31.5s"),
        (34.02, "#7 [frontend 2/3] COPY nginx/default.conf /etc/nginx/conf.d/default.conf"),
        (34.20, "#7 DONE 0.2s"),
        (34.21, "#8 [frontend 3/3] COPY dist/ /usr/share/nginx/html/"),
        (34.52, "#8 DONE 0.3s"),
        (41.10, "#5 DONE 38.7s"),
        (41.12, "#9 [backend 2/5] WORKDIR /app"),
        (41.33, "#9 DONE 0.2s"),
        (41.34, "#10 [backend 3/5] COPY requirements.txt ."),
        (41.51, "#10 DONE 0.2s"),
        (41.52, "#11 [backend 4/5] RUN pip install --no-cache-dir -r requirements.txt"),
        (44.81, "#11 3.281 Collecting Flask==3.0.3 (from -r requirements.txt (line 1))"),
        (45.47, "#11 3.952 Collecting gunicorn==21.2.0 (from -r requirements.txt (line 2))"),
        (46.02, "#11 4.497 Collecting PyMySQL==1.1.1 (from -r requirements.txt (line 3))"),
        (46.70, "#11 5.181 Collecting SQLAlchemy==2.0.36 (from -r requirements.txt (line 4))"),
        (51.93, "#11 10.41 Collecting Flask-Cors==5.0.0 (from -r requirements.txt (line 5))"),
        (198.40, "#11 156.9 Successfully installed Flask-3.0.3 Flask-Cors-5.0.0 Jinja2-3.1.4 MarkupSafe-3.0.2 PyMySQL-1.1.1 SQLAlchemy-2.0.36 Werkzeug-3.1.3 blinker-1.9.0 click-8.1.7 greenlet-3.1.1 gunicorn-21.2.0 itsdangerous-2.2.0 packaging-24.2 typing_extensions-4.12.2"),
        (200.96, "#11 DONE 159.4s"),
        (200.98, "#12 [backend 5/5] COPY . ."),
        (201.30, "#12 DONE 0.3s"),
        (201.32, "#13 exporting to image"),
        (201.33, "#13 exporting layers"),
        (212.61, "#13 exporting layers 11.3s done"),
        (212.70, "#13 writing image sha256:%s done" % hexs(64)),
        (212.72, "#13 naming to docker.io/library/athena-eye-backend done"),
        (212.73, "#13 DONE 11.4s"),
        (212.80, " Image athena-eye-backend  Built"),
        (212.81, " Image athena-eye-frontend  Built"),
    ]
    t = T("09:40:21.901552")
    for i, (dt, line) in enumerate(build):
        jr(t + int(dt * 1_000_000) + i * 40, d, line)
    # containers
    for dt, line in [(0.0, " Network athena-eye_default  Creating"), (0.21, " Network athena-eye_default  Created"),
                     (0.24, " Container athena_eye_db  Creating"), (3.80, " Container athena_eye_db  Created"),
                     (3.82, " Container athena_eye_backend  Creating"), (8.10, " Container athena_eye_backend  Created"),
                     (8.12, " Container athena_eye_frontend  Creating"), (12.86, " Container athena_eye_frontend  Created"),
                     (12.90, " Container athena_eye_db  Starting")]:
        jr(T("09:43:58.102118") + int(dt * 1_000_000), d, line)
    for c, dt in [(DB, 3.7), (BACKEND, 8.0), (FRONTEND, 12.7)]:
        ctr_init_mount(c, T("09:43:58.102118") + int(dt * 1_000_000))
    s = T("09:44:11.802553")         # mysqld's container starts
    oom = T("09:45:07.412118")       # the kernel kills mysqld --initialize
    ctr_up(DB, s, 4188, oom - s)
    jr(s + 301_000, d, " Container athena_eye_db  Started")
    jr(s + 305_000, d, " Container athena_eye_db  Waiting")
    unhealthy = T("09:45:01.884120")
    jr(unhealthy + 180_000, d, " Container athena_eye_db  Error")
    jr(unhealthy + 181_500, d, "dependency failed to start: container athena_eye_db is unhealthy", ["compose-unhealthy"], "unhealthy")
    jr(unhealthy + 260_000, d, "+ docker compose ps")
    jrs(unhealthy + 690_000, d, [
        "NAME            IMAGE          COMMAND                  SERVICE   CREATED              STATUS                      PORTS",
        ('athena_eye_db   mysql:8.0.36   "docker-entrypoint.s…"   db        About a minute ago   Up 50 seconds (unhealthy)   3306/tcp, 33060/tcp',
         ["container-unhealthy"], None)], 200)

    # the db container's own output: slow initialisation on 1 GB, then nothing
    entry(s + 240_000, "Note", ENTRY_STARTED, mark="db1start")
    entry(T("09:44:19.410552"), "Note", "Switching to dedicated user 'mysql'")
    entry(T("09:44:19.652110"), "Note", ENTRY_STARTED)
    entry(T("09:44:22.518004"), "Note", "Initializing database files")
    mysql(T("09:44:22.611873"), 0, "Warning", "MY-011068", "Server", SKIP_HOST_CACHE)
    mysql(T("09:44:22.613402"), 0, "System", "MY-013169", "Server", "/usr/sbin/mysqld (mysqld 8.0.36) initializing of server in progress as process 80")
    mysql(T("09:44:22.702911"), 1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started.")
    mysql(T("09:45:06.310448"), 1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended.", mark="db1last")

    jr(T("09:44:40.113208"), "systemd-journald[183]", "Under memory pressure, flushing caches.")
    oom_block(oom)
    jr(oom + 6200, "systemd[1]", "docker-%s.scope: A process of this unit has been killed by the OOM killer." % DB.cid,
       ["oom-kill"], "oomscope")
    ctr_down(DB, oom + 41000, "38.119s")


def oom_block(t):
    cid = DB.cid
    lines = []
    lines.append(("mysqld invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0",
                  ["oom-kill"], "oom1"))
    lines += [
        "CPU: 0 PID: 4242 Comm: mysqld Not tainted 6.8.0-1044-gcp #47~22.04.1-Ubuntu",
        "Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 10/09/2026",
        "Call Trace:",
        " <TASK>",
        " dump_stack_lvl+0x76/0xa0",
        " dump_stack+0x10/0x20",
        " dump_header+0x47/0x1f0",
        " oom_kill_process+0x118/0x280",
        " ? oom_evaluate_task+0x143/0x1e0",
        " out_of_memory+0x103/0x350",
        " __alloc_pages_may_oom+0x10c/0x1d0",
        " __alloc_pages_slowpath.constprop.0+0x420/0x9f0",
        " __alloc_pages+0x31f/0x350",
        " alloc_pages_mpol+0x91/0x210",
        " vma_alloc_folio+0x64/0xe0",
        " do_anonymous_page+0x191/0x7a0",
        " ? __pte_offset_map+0x1c/0x1b0",
        " __handle_mm_fault+0x653/0x790",
        " handle_mm_fault+0x18a/0x380",
        " do_user_addr_fault+0x169/0x670",
        " exc_page_fault+0x83/0x1b0",
        " asm_exc_page_fault+0x27/0x30",
        "RIP: 0033:0x7f6e2b2d6f4c",
        "Code: 00 00 00 c5 f9 6e c6 48 89 f8 c4 e2 7d 78 c0 48 83 fa 20 0f 82 d1 00 00 00 48 83 fa 40 77 54 c5 fe 7f 44 17 e0 c5 fe 7f 07 c5 f8 77 c3 66 0f 1f 44 00 00 <c5> fe 7f 07 c5 fe 7f 47 20 c5 fe 7f 44 17 e0 c5 fe 7f 44 17 c0 c5",
        "RSP: 002b:00007f6e0dbf9a48 EFLAGS: 00010206",
        "RAX: 00007f6dd7e00000 RBX: 0000000000000000 RCX: 00007f6dd7f42ff0",
        "RDX: 0000000000010000 RSI: 0000000000000000 RDI: 00007f6dd7f3f000",
        "RBP: 00007f6e0dbf9ad0 R08: 00007f6dd7e00000 R09: 0000000000000000",
        "R10: 0000000000000022 R11: 0000000000000246 R12: 0000000000200000",
        "R13: 00007f6dd7e00010 R14: 0000000000200000 R15: 00007f6e0dbf9b70",
        " </TASK>",
        "Mem-Info:",
    ]
    # page counts (4 kB pages); DMA32 buddy lists are summed so the numbers agree
    dma_free = 5 * 4 + 3 * 8 + 2 * 16 + 3 * 32 + 2 * 64 + 1 * 128 + 2 * 256 + 0 + 1 * 1024 + 1 * 2048
    buddy32 = [(1312, "UME"), (702, "UME"), (398, "UME"), (231, "UME"), (96, "UM"), (24, "UM"), (4, "UM"), (1, "M"), (0, ""), (0, ""), (0, "")]
    dma32_free = sum(n * (4 << i) for i, (n, _) in enumerate(buddy32))
    free_pages = (dma_free + dma32_free) // 4
    lines.append("active_anon:98913 inactive_anon:113027 isolated_anon:0\n"
                 " active_file:97 inactive_file:58 isolated_file:0\n"
                 " unevictable:6882 dirty:0 writeback:0\n"
                 " slab_reclaimable:5812 slab_unreclaimable:12766\n"
                 " mapped:3017 shmem:1394 pagetables:2911\n"
                 " sec_pagetables:0 bounce:0\n"
                 " kernel_misc_reclaimable:0\n"
                 " free:%d free_pcp:118 free_cma:0" % free_pages)
    lines += [
        "Node 0 active_anon:395652kB inactive_anon:452108kB active_file:388kB inactive_file:232kB unevictable:27528kB isolated(anon):0kB isolated(file):0kB mapped:12068kB dirty:0kB writeback:0kB shmem:5576kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB writeback_tmp:0kB kernel_stack:3248kB pagetables:11644kB sec_pagetables:0kB all_unreclaimable? yes",
        "Node 0 DMA free:%dkB boost:0kB min:712kB low:888kB high:1064kB reserved_highatomic:0KB active_anon:3104kB inactive_anon:7088kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB" % dma_free,
        "lowmem_reserve[]: 0 885 885 885 885",
        "Node 0 DMA32 free:%dkB boost:0kB min:41292kB low:51612kB high:61932kB reserved_highatomic:0KB active_anon:392548kB inactive_anon:445020kB active_file:388kB inactive_file:232kB unevictable:27528kB writepending:0kB present:1032172kB managed:906448kB mlocked:27528kB bounce:0kB free_pcp:472kB local_pcp:244kB free_cma:0kB" % dma32_free,
        "lowmem_reserve[]: 0 0 0 0 0",
        "Node 0 DMA: 5*4kB (UM) 3*8kB (UM) 2*16kB (U) 3*32kB (UM) 2*64kB (UM) 1*128kB (U) 2*256kB (UM) 0*512kB 1*1024kB (M) 1*2048kB (M) 0*4096kB = %dkB" % dma_free,
        "Node 0 DMA32: " + " ".join("%d*%dkB%s" % (n, 4 << i, " (%s)" % m if m else "") for i, (n, m) in enumerate(buddy32)) + " = %dkB" % dma32_free,
        "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB",
        "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
        "1549 total pagecache pages",
        "0 pages in swap cache",
        "Free swap  = 0kB",
        "Total swap = 0kB",
        "262012 pages RAM",
        "0 pages HighMem/MovableOnly",
        "31560 pages reserved",
        "0 pages hwpoisoned",
        "Tasks state (memory values in pages):",
        "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name",
    ]
    tasks = [  # pid, uid, total_vm, rss_anon, rss_file, rss_shmem, pgtables_bytes, oom_score_adj, name
        (183, 0, 12403, 301, 112, 388, 110592, -250, "systemd-journal"),
        (209, 0, 70054, 4416, 0, 0, 106496, -1000, "multipathd"),
        (214, 0, 6544, 402, 31, 0, 77824, -1000, "systemd-udevd"),
        (512, 100, 4092, 221, 12, 0, 73728, 0, "systemd-network"),
        (514, 101, 6311, 486, 18, 0, 86016, 0, "systemd-resolve"),
        (553, 102, 2234, 196, 9, 0, 61440, -900, "dbus-daemon"),
        (555, 0, 1829, 61, 3, 0, 53248, 0, "cron"),
        (560, 0, 4471, 260, 14, 0, 77824, 0, "systemd-logind"),
        (562, 0, 8263, 2671, 40, 0, 98304, 0, "networkd-dispat"),
        (566, 0, 442717, 4012, 77, 0, 311296, -900, "snapd"),
        (571, 104, 55598, 236, 7, 0, 81920, 0, "rsyslogd"),
        (598, 0, 27498, 2688, 51, 0, 118784, 0, "unattended-upgr"),
        (630, 113, 4670, 112, 5, 0, 61440, 0, "chronyd"),
        (650, 0, 319622, 3841, 60, 0, 237568, 0, "google_guest_ag"),
        (688, 0, 318903, 5106, 44, 0, 290816, 0, "google_osconfig"),
        (701, 0, 1630, 34, 2, 0, 49152, 0, "agetty"),
        (705, 0, 1650, 36, 2, 0, 49152, 0, "agetty"),
        (1310, 1000, 4249, 377, 24, 0, 81920, 100, "systemd"),
        (1311, 1000, 42383, 823, 3, 0, 102400, 100, "(sd-pam)"),
        (2398, 0, 3869, 262, 20, 0, 73728, -1000, "sshd"),
        (3391, 0, 468316, 5203, 98, 0, 262144, -999, "containerd"),
        (3472, 0, 583331, 9876, 115, 0, 405504, -500, "dockerd"),
        (3531, 0, 4455, 290, 17, 0, 81920, 0, "sshd"),
        (3588, 1000, 4522, 318, 11, 0, 81920, 0, "sshd"),
        (3589, 1000, 2504, 326, 9, 0, 61440, 0, "bash"),
        (3709, 1000, 2219, 171, 4, 0, 57344, 0, "screen"),
        (3710, 1000, 2536, 368, 8, 0, 57344, 0, "bash"),
        (4188, 0, 309394, 1630, 22, 0, 114688, -998, "containerd-shim"),
        (4207, 999, 1091, 162, 6, 0, 49152, 0, "docker-entrypoi"),
        (4242, 999, 433855, 150787, 0, 0, 1622016, 0, "mysqld"),
    ]
    for pid, uid, tvm, ra, rf, rs, pt, adj, name in tasks:
        lines.append("[%7d] %5d %5d %8d %8d %8d %8d %9d %8d %8d         %5d %s"
                     % (pid, uid, pid, tvm, ra + rf + rs, ra, rf, rs, pt, 0, adj, name))
    lines.append(("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=docker-%s.scope,mems_allowed=0,global_oom,"
                  "task_memcg=/system.slice/docker-%s.scope,task=mysqld,pid=4242,uid=999" % (cid, cid), ["oom-kill"], "oom2"))
    lines.append(("Out of memory: Killed process 4242 (mysqld) total-vm:1735420kB, anon-rss:603148kB, file-rss:0kB, "
                  "shmem-rss:0kB, UID:999 pgtables:1584kB oom_score_adj:0", ["oom-kill"], "oom3"))
    jrs(t, "kernel", lines, 60)
    jr(t + 31200, "kernel", "oom_reaper: reaped process 4242 (mysqld), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB", ["oom-kill"])


def db_config_attempts():
    # wipe the half-initialised data dir, add a low-memory my.cnf (copied from a MySQL 5.7 guide)
    sudo(T("09:47:41.201118"), 4402, "pts/1", "/usr/bin/journalctl -k --since -15min", 1_420_000)
    sudo(T("10:04:50.330871"), 4961, "pts/1", "/usr/bin/find mysql-data -mindepth 1 -delete", 388000)
    attempts = [
        (T("10:06:21.512004"), 5188, "query_cache_type=0", "unknown"),
        (T("10:08:44.118552"), 5342, "query_cache_size=0", "unknown"),
        (T("10:14:05.702331"), 5561, None, "group"),
    ]
    for s, shim, var, kind in attempts:
        life = 1_450_000 if kind == "unknown" else 1_080_000
        ctr_up(DB, s, shim, life)
        entry(s + 230_000, "Note", ENTRY_STARTED)
        tmp = "/tmp/tmp." + b64(10).replace("+", "x").replace("/", "Q")
        if kind == "unknown":
            tm = s + 1_311_000 + R.randint(0, 90000)
            e1 = tm + R.randint(400, 700)
            lines = [("%s+00:00 [ERROR] [Entrypoint]: mysqld failed while attempting to check config" % ymd_hms(e1),
                      ["mysql-config-check-failed"], None),
                     ("\tcommand was: mysqld --verbose --help --log-bin-index=%s" % tmp, (), None),
                     ("\t%s 0 [ERROR] [MY-000067] [Server] unknown variable '%s'." % (iso_us(tm), var),
                      ["mysql-unknown-variable"], "unknown-" + var.split("=")[0]),
                     ("%s 0 [ERROR] [MY-010119] [Server] Aborting" % iso_us(tm + 212), ["mysql-server-aborting"], None)]
            dock_burst(DB.name, e1, lines)
        else:
            e1 = s + 980_000 + R.randint(0, 40000)
            lines = [("%s+00:00 [ERROR] [Entrypoint]: mysqld failed while attempting to check config" % ymd_hms(e1),
                      ["mysql-config-check-failed"], None),
                     ("\tcommand was: mysqld --verbose --help --log-bin-index=%s" % tmp, (), None),
                     ("\tmysqld: [ERROR] Found option without preceding group in config file /etc/mysql/conf.d/my.cnf at line 1.",
                      ["mysql-option-without-group"], "nogroup"),
                     ("mysqld: [ERROR] Fatal error in defaults handling. Program aborted!", ["mysql-option-without-group"], None)]
            dock_burst(DB.name, e1, lines)
        ctr_down(DB, s + life, "%.3fs" % (life / 1_000_000 * R.uniform(0.55, 0.8)))


def shutdown_for_resize():
    t = T("10:21:31.118203")
    jrs(t, "systemd-logind[560]", ["Power key pressed.", "Powering off...", "System is powering down."], 2100)
    t += 40000
    jrs(t, "systemd[1]", ["Stopping Session 3 of User %s..." % USER,
                          "Removed slice Slice /system/modprobe.",
                          "Stopped target Graphical Interface.",
                          "Stopped target Multi-User System.",
                          "Stopping Docker Application Container Engine...",
                          "Stopping Google Compute Engine Guest Agent...",
                          "Stopping OpenBSD Secure Shell server...",
                          "Stopping Snap Daemon...",
                          "Stopping Unattended Upgrades Shutdown..."], 1600)
    jr(t + 16000, DOCKERD[1], '%s level=info msg="Processing signal \'terminated\'"' % gotime(t + 16000))
    jr(t + 18000, "sshd[2398]", "Received signal 15; terminating.")
    jr(t + 21000, "sshd[3531]", "pam_unix(sshd:session): session closed for user %s" % USER)
    jr(t + 96000, DOCKERD[1], '%s level=info msg="Daemon shutdown complete"' % gotime(t + 96000))
    jrs(t + 120000, "systemd[1]", [
        "session-3.scope: Deactivated successfully.",
        "Stopped Session 3 of User %s." % USER,
        "session-3.scope: Consumed 14.223s CPU time.",
        "docker.service: Deactivated successfully.",
        "Stopped Docker Application Container Engine.",
        "docker.service: Consumed 52.901s CPU time.",
        "Stopping containerd container runtime...",
        "containerd.service: Deactivated successfully.",
        "Stopped containerd container runtime.",
        "containerd.service: Consumed 21.477s CPU time.",
        "ssh.service: Deactivated successfully.",
        "Stopped OpenBSD Secure Shell server.",
        "snapd.service: Deactivated successfully.",
        "Stopped Snap Daemon.",
        "Stopping User Manager for UID 1000...",
        "user@1000.service: Deactivated successfully.",
        "Stopped User Manager for UID 1000.",
        "Removed slice User Slice of UID 1000.",
        "Stopped target Network.",
        "Stopping Network Name Resolution...",
        "Stopping Network Configuration...",
        "Stopped Network Configuration.",
        "Reached target Unmount All Filesystems.",
        "Reached target System Shutdown.",
        "Reached target Late Shutdown Services.",
        "systemd-poweroff.service: Deactivated successfully.",
        "Finished System Power Off.",
        "Reached target System Power Off.",
        "Shutting down."], 31000)
    jr(t + 1_050_000, "systemd-shutdown[1]", "Syncing filesystems and block devices.")
    jr(t + 1_240_000, "systemd-shutdown[1]", "Sending SIGTERM to remaining processes...")
    jr(t + 1_244_000, "systemd-journald[183]", "Received SIGTERM from PID 1 (systemd-shutdow).")
    jr(t + 1_246_000, "systemd-journald[183]", "Journal stopped")


# --------------------------------------------------------------------------------------------
# boot 2 on an e2-small (2 GB): db initialises fine, backend crash-loops, frontend up

def boot2():
    t = BOOT2 + 3120
    k = [
        "Linux version 6.8.0-1047-gcp (buildd@lcy02-amd64-087) (x86_64-linux-gnu-gcc-12 (Ubuntu 12.3.0-1ubuntu1~22.04) 12.3.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #50~22.04.1-Ubuntu SMP Tue Nov 10 16:02:31 UTC 2026 (Ubuntu 6.8.0-1047.50~22.04.1-gcp 6.8.12)",
        "Command line: BOOT_IMAGE=/boot/vmlinuz-6.8.0-1047-gcp root=PARTUUID=6d3b2a0e-8f41-4c5e-9b7a-2e1f0c9d4a83 ro console=ttyS0",
        "BIOS-provided physical RAM map:",
        "BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] reserved",
        "BIOS-e820: [mem 0x0000000000001000-0x0000000000054fff] usable",
        "BIOS-e820: [mem 0x0000000000055000-0x000000000005ffff] reserved",
        "BIOS-e820: [mem 0x0000000000060000-0x0000000000097fff] usable",
        "BIOS-e820: [mem 0x0000000000098000-0x000000000009ffff] reserved",
        "BIOS-e820: [mem 0x0000000000100000-0x000000007e6b3fff] usable",
        "BIOS-e820: [mem 0x000000007e6b4000-0x000000007e6d5fff] ACPI data",
        "BIOS-e820: [mem 0x000000007e6d6000-0x000000007fffffff] reserved",
        "NX (Execute Disable) protection: active",
        "efi: EFI v2.7 by EDK II",
        "SMBIOS 2.4 present.",
        "DMI: Google Google Compute Engine/Google Compute Engine, BIOS Google 10/09/2026",
        "Hypervisor detected: KVM",
        "kvm-clock: Using msrs 4b564d01 and 4b564d00",
        "tsc: Detected 2199.998 MHz processor",
        "Memory: 1925108K/2071404K available (22528K kernel code, 4457K rwdata, 14580K rodata, 4916K init, 4632K bss, 146040K reserved, 0K cma-reserved)",
        "smpboot: CPU0: Intel(R) Xeon(R) CPU @ 2.20GHz (family: 0x6, model: 0x4f, stepping: 0x0)",
        "smp: Brought up 1 node, 2 CPUs",
        "clocksource: Switched to clocksource kvm-clock",
        "Freeing unused kernel image (initmem) memory: 4916K",
        "Run /init as init process",
        "virtio_net virtio1 ens4: renamed from eth0",
        "EXT4-fs (sda1): mounted filesystem 5c9f3ad8-2e71-4b0a-9d16-8f2b7e4a1c30 ro with ordered data mode. Quota mode: none.",
    ]
    jrs(t, "kernel", k, 38000)
    jrs(BOOT2 + 1_890_000, "systemd[1]", [
        "Inserted module 'autofs4'",
        "systemd 249.11-0ubuntu3.17 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT +GNUTLS -OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY -P11KIT -QRENCODE +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)",
        "Detected virtualization kvm.",
        "Detected architecture x86-64.",
        "Hostname set to <%s>." % HOST,
        "Queued start job for default target Graphical Interface.",
        "Created slice Slice /system/modprobe.",
        "Created slice User and Session Slice.",
        "Listening on Journal Socket.",
        "Starting Journal Service...",
        "Started Journal Service."], 19000)
    jr(BOOT2 + 2_190_000, "kernel", "EXT4-fs (sda1): re-mounted 5c9f3ad8-2e71-4b0a-9d16-8f2b7e4a1c30 r/w. Quota mode: none.")
    jr(BOOT2 + 2_330_000, "systemd-journald[178]", "Received client request to flush runtime journal.")
    jrs(BOOT2 + 3_410_000, "systemd-networkd[489]", ["lo: Link UP", "lo: Gained carrier", "Enumeration completed",
                                                     "ens4: Link UP", "ens4: Gained carrier",
                                                     "ens4: DHCPv4 address 10.140.0.2/32, gateway 10.140.0.1 acquired from 169.254.169.254"], 30000)
    jr(BOOT2 + 4_020_000, "systemd-resolved[491]", "Using system hostname '%s'." % HOST)
    jr(BOOT2 + 4_880_000, "cloud-init[577]", "Cloud-init v. 25.2-0ubuntu1~22.04.1 running 'init' at Fri, 27 Nov 2026 10:23:09 +0000. Up 4.71 seconds.")
    jr(BOOT2 + 6_120_000, "google_guest_agent[621]", "GCE Agent Started (version 20251015.00)")
    jrs(BOOT2 + 6_400_000, "sshd[655]", ["Server listening on 0.0.0.0 port 22.", "Server listening on :: port 22."], 300)
    jr(BOOT2 + 6_402_000, "systemd[1]", "Started OpenBSD Secure Shell server.")
    jr(BOOT2 + 6_600_000, "systemd[1]", "Starting containerd container runtime...")
    t = BOOT2 + 6_700_000 + R.randint(0, 99999)
    for i, m in enumerate(['level=info msg="starting containerd" revision=442cb34bda9a6a0fed82a2ca7cade05c5c749582 version=v1.7.29',
                           'level=info msg=serving... address=/run/containerd/containerd.sock.ttrpc',
                           'level=info msg=serving... address=/run/containerd/containerd.sock',
                           'level=info msg="containerd successfully booted in 0.044109s"']):
        tt = t + i * 14000 + R.randint(0, 999)
        jr(tt, CONTAINERD[2], "%s %s" % (gotime(tt, True), m))
    jr(BOOT2 + 6_770_000, "systemd[1]", "Started containerd container runtime.")
    jr(BOOT2 + 6_780_000, "systemd[1]", "Starting Docker Application Container Engine...")
    dockerd_start(BOOT2 + 6_900_000, DOCKERD[2], fresh=False)
    jr(BOOT2 + 9_640_000, "systemd[1]", "Started Docker Application Container Engine.")
    jrs(BOOT2 + 9_900_000, "systemd[1]", ["Reached target Multi-User System.", "Reached target Graphical Interface.",
                                          "Startup finished in 1.902s (kernel) + 8.411s (userspace) = 10.313s."], 5000)
    jr(BOOT2 + 11_200_000, "chronyd[602]", "Selected source 169.254.169.254 (metadata.google.internal)")


def gunicorn(t, pid, level, msg):
    return "[%s +0000] [%d] [%s] %s" % (ymd_hms(t), pid, level, msg)


TRACEBACK = [
    "Traceback (most recent call last):",
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker',
    "    worker.init_process()",
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/workers/base.py", line 134, in init_process',
    "    self.load_wsgi()",
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/workers/base.py", line 146, in load_wsgi',
    "    self.wsgi = self.app.wsgi()",
    "                ^^^^^^^^^^^^^^^",
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/app/base.py", line 67, in wsgi',
    "    self.callable = self.load()",
    "                    ^^^^^^^^^^^",
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/app/wsgiapp.py", line 58, in load',
    "    return self.load_wsgiapp()",
    "           ^^^^^^^^^^^^^^^^^^^",
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/app/wsgiapp.py", line 48, in load_wsgiapp',
    "    return util.import_app(self.app_uri)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/util.py", line 371, in import_app',
    "    mod = importlib.import_module(module)",
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "/usr/local/lib/python3.11/importlib/__init__.py", line 126, in import_module',
    "    return _bootstrap._gcd_import(name[level:], package, level)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "<frozen importlib._bootstrap>", line 1204, in _gcd_import',
    '  File "<frozen importlib._bootstrap>", line 1176, in _find_and_load',
    '  File "<frozen importlib._bootstrap>", line 1147, in _find_and_load_unlocked',
    '  File "<frozen importlib._bootstrap>", line 690, in _load_unlocked',
    '  File "<frozen importlib._bootstrap_external>", line 940, in exec_module',
    '  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed',
    '  File "/app/wsgi.py", line 4, in <module>',
    "    app = create_app()",
    "          ^^^^^^^^^^^^",
    '  File "/app/athena_eye/__init__.py", line 31, in create_app',
    "    setup_logger(app)",
    '  File "/app/athena_eye/logger.py", line 18, in setup_logger',
    '    file_handler = logging.FileHandler(LOG_FILE, encoding="utf-8")',
    "                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "/usr/local/lib/python3.11/logging/__init__.py", line 1181, in __init__',
    "    StreamHandler.__init__(self, self._open())",
    "                                 ^^^^^^^^^^^^",
    '  File "/usr/local/lib/python3.11/logging/__init__.py", line 1213, in _open',
    "    return open_func(self.baseFilename, self.mode,",
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
]


def db_boot2(s):
    """The db container on the e2-small with the fixed my.cnf: a complete, healthy first start."""
    ev = [
        (0.240, "E", "Note", ENTRY_STARTED, "db5start"),
        (2.411, "E", "Note", "Switching to dedicated user 'mysql'", None),
        (2.650, "E", "Note", ENTRY_STARTED, None),
        (3.902, "E", "Note", "Initializing database files", None),
        (3.990, "M", (0, "Warning", "MY-011068", "Server", SKIP_HOST_CACHE), None),
        (3.992, "M", (0, "System", "MY-013169", "Server", "/usr/sbin/mysqld (mysqld 8.0.36) initializing of server in progress as process 80"), None),
        (4.020, "M", (1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started."), None),
        (7.118, "M", (1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended."), None),
        (10.402, "M", (6, "Warning", "MY-010453", "Server", "root@localhost is created with an empty password ! Please consider switching off the --initialize-insecure option."), None),
        (14.215, "E", "Note", "Database files initialized", None),
        (14.218, "E", "Note", "Starting temporary server", None),
        (14.330, "M", (0, "Warning", "MY-011068", "Server", SKIP_HOST_CACHE), None),
        (14.333, "M", (0, "System", "MY-010116", "Server", "/usr/sbin/mysqld (mysqld 8.0.36) starting as process 124"), None),
        (14.361, "M", (1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started."), None),
        (15.102, "M", (1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended."), None),
        (15.610, "M", (0, "Warning", "MY-010068", "Server", "CA certificate ca.pem is self signed."), None),
        (15.611, "M", (0, "System", "MY-013602", "Server", "Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel."), None),
        (15.620, "M", (0, "Warning", "MY-011810", "Server", "Insecure configuration for --pid-file: Location '/var/run/mysqld' in the path is accessible to all OS users. Consider choosing a different directory."), None),
        (15.702, "M", (0, "System", "MY-011323", "Server", "X Plugin ready for connections. Socket: /var/run/mysqld/mysqlx.sock"), None),
        (15.703, "M", (0, "System", "MY-010931", "Server", "/usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 0  MySQL Community Server - GPL."), None),
        (15.740, "E", "Note", "Temporary server started.", None),
        (15.812, "R", "'/var/lib/mysql/mysql.sock' -> '/var/run/mysqld/mysqld.sock'", None),
        (18.411, "R", "Warning: Unable to load '/usr/share/zoneinfo/iso3166.tab' as time zone. Skipping it.", None),
        (18.413, "R", "Warning: Unable to load '/usr/share/zoneinfo/leap-seconds.list' as time zone. Skipping it.", None),
        (18.952, "R", "Warning: Unable to load '/usr/share/zoneinfo/leapseconds' as time zone. Skipping it.", None),
        (18.955, "R", "Warning: Unable to load '/usr/share/zoneinfo/tzdata.zi' as time zone. Skipping it.", None),
        (19.630, "R", "Warning: Unable to load '/usr/share/zoneinfo/zone.tab' as time zone. Skipping it.", None),
        (19.632, "R", "Warning: Unable to load '/usr/share/zoneinfo/zone1970.tab' as time zone. Skipping it.", None),
        (20.101, "E", "Note", "Creating database athena_eye", None),
        (20.188, "E", "Note", "Creating user athena", None),
        (20.260, "E", "Note", "Giving user athena access to schema athena_eye", None),
        (20.331, "R", "", None),
        (20.333, "E", "Note", "Stopping temporary server", None),
        (20.402, "M", (12, "System", "MY-013172", "Server", "Received SHUTDOWN from user root. Shutting down mysqld (Version: 8.0.36)."), None),
        (22.118, "M", (0, "System", "MY-010910", "Server", "/usr/sbin/mysqld: Shutdown complete (mysqld 8.0.36)  MySQL Community Server - GPL."), None),
        (22.322, "E", "Note", "Temporary server stopped", None),
        (22.324, "R", "", None),
        (22.325, "E", "Note", "MySQL init process done. Ready for start up.", None),
        (22.326, "R", "", None),
        (22.901, "M", (0, "Warning", "MY-011068", "Server", SKIP_HOST_CACHE), None),
        (22.904, "M", (0, "System", "MY-010116", "Server", "/usr/sbin/mysqld (mysqld 8.0.36) starting as process 1"), None),
        (22.931, "M", (1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started."), None),
        (23.690, "M", (1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended."), None),
        (24.310, "M", (0, "Warning", "MY-010068", "Server", "CA certificate ca.pem is self signed."), None),
        (24.311, "M", (0, "System", "MY-013602", "Server", "Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel."), None),
        (24.320, "M", (0, "Warning", "MY-011810", "Server", "Insecure configuration for --pid-file: Location '/var/run/mysqld' in the path is accessible to all OS users. Consider choosing a different directory."), None),
        (24.402, "M", (0, "System", "MY-011323", "Server", "X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock"), None),
        (24.403, "M", (0, "System", "MY-010931", "Server", "/usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."), "dbready"),
    ]
    for dt, kind, *rest in ev:
        t = s + int(dt * 1_000_000) + R.randint(0, 900)
        mark = rest[-1]
        if kind == "E":
            entry(t, rest[0], rest[1], mark=mark)
        elif kind == "M":
            thr, prio, code, sub, msg = rest[0]
            mysql(t, thr, prio, code, sub, msg, mark=mark)
        else:
            dock(DB.name, t, rest[0], mark=mark)


NGX = {"conn": 0}


def nginx_start(s):
    f = FRONTEND.name
    lines = ["/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
             "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
             "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
             "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
             "10-listen-on-ipv6-by-default.sh: info: /etc/nginx/conf.d/default.conf differs from the packaged version",
             "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
             "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
             "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
             "/docker-entrypoint.sh: Configuration complete; ready for start up"]
    t = s + 9000
    for i, l in enumerate(lines):
        dock(f, t + i * 6100, l)
    t = s + 92000
    for i, l in enumerate(['[notice] 1#1: using the "epoll" event method', "[notice] 1#1: nginx/1.25.3",
                           "[notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ", "[notice] 1#1: OS: Linux 6.8.0-1047-gcp",
                           "[notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576", "[notice] 1#1: start worker processes",
                           "[notice] 1#1: start worker process 29", "[notice] 1#1: start worker process 30"]):
        tt = t + i * 160
        dock(f, tt, "%s %s" % (time.strftime("%Y/%m/%d %H:%M:%S", gm(tt)), l), lag=R.randint(30, 90) + i * 20)


def access(t, ip, req, status, size, ref="-", ua=CHROME, ids=(), mark=None):
    dock(FRONTEND.name, t, '%s - - [%s] "%s" %d %d "%s" "%s" "-"' % (ip, clf(t), req, status, size, ref, ua), ids, mark)


def upstream_refused(t, ip, path, host, ref=None):
    NGX["conn"] += 1
    worker = R.choice([29, 30])
    msg = ('%s [error] %d#%d: *%d connect() failed (111: Connection refused) while connecting to upstream, client: %s, '
           'server: localhost, request: "GET %s HTTP/1.1", upstream: "http://172.18.0.3:8000%s", host: "%s"'
           % (time.strftime("%Y/%m/%d %H:%M:%S", gm(t)), worker, worker, NGX["conn"], ip, path, path, host))
    if ref:
        msg += ', referrer: "%s"' % ref
    dock(FRONTEND.name, t, msg, ["nginx-upstream-refused"], None)


def tls_bytes():
    """A ClientHello as nginx logs it in $request: printable bytes kept, the rest \\xHH."""
    raw = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03])
    raw += bytes(R.randrange(256) for _ in range(32)) + b"\x20" + bytes(R.randrange(256) for _ in range(32))
    raw += bytes([0x00, 0x20, R.choice([0x0A, 0x3A, 0x8A, 0xDA]), R.choice([0x0A, 0x3A, 0x8A, 0xDA]),
                  0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xC0, 0x2B, 0xC0, 0x2F, 0xC0, 0x2C, 0xC0, 0x30,
                  0xCC, 0xA9, 0xCC, 0xA8, 0xC0, 0x13, 0xC0, 0x14, 0x00, 0x9C, 0x00, 0x9D, 0x00, 0x2F, 0x00, 0x35,
                  0x01, 0x00, 0x01, 0x93])
    out = []
    for b in raw:
        if b < 0x20 or b > 0x7E or b in (0x22, 0x5C):
            out.append("\\x%02X" % b)
        else:
            out.append(chr(b))
    return "".join(out)


def backend_crash_loop(first_start, recreate_at):
    """Docker restarts the crashing backend with a doubling back-off (100 ms, 200 ms, ...)."""
    starts = []
    s = first_start
    delay = 100_000
    shim = 1702
    n = 0
    while s < recreate_at:
        run = 1_520_000 + R.randint(0, 90000)
        starts.append(s)
        ctr_up(BACKEND, s, shim, run)
        b = BACKEND.name
        g0 = s + 418_000 + R.randint(0, 30000)
        dock(b, g0, gunicorn(g0, 1, "INFO", "Starting gunicorn 21.2.0"), mark="guni%d" % n)
        dock(b, g0 + 1400, gunicorn(g0 + 1400, 1, "INFO", "Listening at: http://0.0.0.0:8000 (1)"))
        dock(b, g0 + 1500, gunicorn(g0 + 1500, 1, "INFO", "Using worker: sync"))
        dock(b, g0 + 4200, gunicorn(g0 + 4200, 8, "INFO", "Booting worker with pid: 8"))
        tx = s + run - 190_000
        block = [(gunicorn(tx, 8, "ERROR", "Exception in worker process"), ["gunicorn-boot-fail"], None)]
        block += [(l, (), None) for l in TRACEBACK]
        block.append(("FileNotFoundError: [Errno 2] No such file or directory: '/app/logs/athena_eye.log'",
                      ["app-missing-log-dir"], "fnf%d" % n))
        dock_burst(b, tx, block)
        te = tx + 6100
        dock(b, te, gunicorn(te, 8, "INFO", "Worker exiting (pid: 8)"))
        tm = tx + 98_000
        dock(b, tm, gunicorn(tm, 1, "ERROR", "Worker (pid:8) exited with code 3"), ["gunicorn-boot-fail"])
        dock(b, tm + 2100, gunicorn(tm + 2100, 1, "ERROR", "Shutting down: Master"))
        dock(b, tm + 2200, gunicorn(tm + 2200, 1, "ERROR", "Reason: Worker failed to boot."),
             ["gunicorn-boot-fail"], "reason%d" % n)
        ctr_down(BACKEND, s + run, "%.3fs" % R.uniform(1.05, 1.32))
        s = s + run + delay
        delay = min(delay * 2, 60_000_000)
        shim = (1790 if n == 0 else shim) + R.randint(40, 90)
        n += 1
    return starts


def compose_up_boot2():
    ssh_login(T("10:24:40.118552"), 1302, 40188, 1, first_user_manager=1309)
    jr(T("10:24:40.004112"), "google_guest_agent[621]", "Updating keys for user %s." % USER)
    d = deploy(1452, T("10:25:45.301227"), "up", GROUPS_NEW, "1431.deploy")
    jr(T("10:25:45.312008"), d, "+ docker ps -q")
    jr(T("10:25:45.480771"), d, "+ docker compose up -d --build")
    t = T("10:25:46.102330")
    cached = [(0.00, '#0 building with "default" instance using docker driver'),
              (0.04, "#1 [backend internal] load build definition from Dockerfile"),
              (0.05, "#1 transferring dockerfile: 418B done"), (0.06, "#1 DONE 0.0s"),
              (0.07, "#2 [frontend internal] load build definition from Dockerfile"),
              (0.08, "#2 transferring dockerfile: 291B done"), (0.09, "#2 DONE 0.0s"),
              (0.11, "#3 [backend internal] load metadata for docker.io/library/python:3.11-slim"),
              (1.52, "#3 DONE 1.4s"),
              (1.53, "#4 [frontend internal] load metadata for docker.io/library/nginx:1.25.3"),
              (2.10, "#4 DONE 0.6s"),
              (2.20, "#5 [backend 2/5] WORKDIR /app"), (2.20, "#5 CACHED"),
              (2.21, "#6 [backend 3/5] COPY requirements.txt ."), (2.21, "#6 CACHED"),
              (2.22, "#7 [backend 4/5] RUN pip install --no-cache-dir -r requirements.txt"), (2.22, "#7 CACHED"),
              (2.23, "#8 [backend 5/5] COPY . ."), (2.23, "#8 CACHED"),
              (2.24, "#9 [frontend 2/3] COPY nginx/default.conf /etc/nginx/conf.d/default.conf"), (2.24, "#9 CACHED"),
              (2.25, "#10 [frontend 3/3] COPY dist/ /usr/share/nginx/html/"), (2.25, "#10 CACHED"),
              (2.30, "#11 exporting to image"), (2.31, "#11 exporting layers done"),
              (2.33, "#11 writing image sha256:%s done" % hexs(64)),
              (2.34, "#11 naming to docker.io/library/athena-eye-backend done"), (2.35, "#11 DONE 0.0s"),
              (2.41, " Image athena-eye-backend  Built"), (2.42, " Image athena-eye-frontend  Built")]
    for i, (dt, line) in enumerate(cached):
        jr(t + int(dt * 1_000_000) + i * 40, d, line)
    s_db = T("10:25:57.402118")
    jr(s_db - 260_000, d, " Container athena_eye_db  Starting")
    ctr_up(DB, s_db, 1598, 10 ** 10)
    jr(s_db + 292_000, d, " Container athena_eye_db  Started")
    jr(s_db + 296_000, d, " Container athena_eye_db  Waiting")
    db_boot2(s_db)
    healthy = T("10:26:27.611204")
    jr(healthy + 150_000, d, " Container athena_eye_db  Healthy")
    s_be = healthy + 905_000
    jr(healthy + 160_000, d, " Container athena_eye_backend  Starting")
    jr(s_be + 9000, d, " Container athena_eye_backend  Started")
    s_fe = s_be + 880_000
    jr(s_be + 14000, d, " Container athena_eye_frontend  Starting")
    ctr_up(FRONTEND, s_fe, 1768, 10 ** 10)
    jr(s_fe + 11000, d, " Container athena_eye_frontend  Started")
    nginx_start(s_fe)
    return s_be, s_fe


def fix_backend(t0):
    """Add `RUN mkdir logs` to backend/Dockerfile, rebuild, recreate the backend."""
    d = deploy(2390, t0, "up", GROUPS_NEW, "1431.deploy")
    jr(t0 + 11000, d, "+ docker ps -q")
    jr(t0 + 160000, d, "+ docker compose up -d --build")
    t = t0 + 790000
    steps = [(0.00, '#0 building with "default" instance using docker driver'),
             (0.04, "#1 [backend internal] load build definition from Dockerfile"),
             (0.05, "#1 transferring dockerfile: 436B done"), (0.06, "#1 DONE 0.0s"),
             (0.10, "#2 [backend internal] load metadata for docker.io/library/python:3.11-slim"),
             (1.21, "#2 DONE 1.1s"),
             (1.30, "#3 [backend 2/6] WORKDIR /app"), (1.30, "#3 CACHED"),
             (1.31, "#4 [backend 3/6] COPY requirements.txt ."), (1.31, "#4 CACHED"),
             (1.32, "#5 [backend 4/6] RUN pip install --no-cache-dir -r requirements.txt"), (1.32, "#5 CACHED"),
             (1.33, "#6 [backend 5/6] COPY . ."), (1.72, "#6 DONE 0.4s"),
             (1.73, "#7 [backend 6/6] RUN mkdir logs"), (2.95, "#7 DONE 1.2s"),
             (2.96, "#8 exporting to image"), (2.97, "#8 exporting layers"),
             (3.51, "#8 exporting layers 0.5s done"),
             (3.55, "#8 writing image sha256:%s done" % hexs(64)),
             (3.56, "#8 naming to docker.io/library/athena-eye-backend done"), (3.57, "#8 DONE 0.6s"),
             (3.66, " Image athena-eye-backend  Built"),
             (3.80, " Container athena_eye_db  Running"),
             (3.81, " Container athena_eye_backend  Recreate")]
    for i, (dt, line) in enumerate(steps):
        jr(t + int(dt * 1_000_000) + i * 40, d, line)
    rec = t + 3_810_000
    BACKEND.new_id()
    ctr_init_mount(BACKEND, rec + 640_000)
    jr(rec + 700_000, d, " Container athena_eye_backend  Recreated")
    jr(rec + 702_000, d, " Container athena_eye_frontend  Running")
    jr(rec + 705_000, d, " Container athena_eye_db  Waiting")
    jr(rec + 1_230_000, d, " Container athena_eye_db  Healthy")
    jr(rec + 1_232_000, d, " Container athena_eye_backend  Starting")
    s = rec + 1_940_000
    ctr_up(BACKEND, s, 2451, 10 ** 10)
    jr(s + 10000, d, " Container athena_eye_backend  Started")
    return s


# --------------------------------------------------------------------------------------------
# 2.4 / 2.5  traffic: TLS on the plain-HTTP port, 502s while the backend crashes, then normal

PAGES = {"/": 612, "/assets/index-DkR3t9Qa.js": 248613, "/assets/index-B2v8nXyc.css": 21457,
         "/favicon.ico": 4286, "/assets/logo-athena-Cw1sK3dL.svg": 3145}


def api_ok(t, path, size, ip=USER_IP, ref=None, method="GET", status=200, ua=CHROME, ms=None):
    """A proxied API request that the backend answers: gunicorn access line, then nginx's."""
    ref = ref or "http://%s/" % EXT_IP
    dur = ms if ms is not None else R.randint(6, 48)
    tg = t + dur * 1000
    dock(BACKEND.name, tg, '172.18.0.4 - - [%s] "%s %s HTTP/1.0" %d %d "%s" "%s"'
         % (clf(tg), method, path, status, size, ref, ua))
    access(tg + R.randint(700, 2500), ip, "%s %s HTTP/1.1" % (method, path), status, size, ref, ua)


def app_log(t, level, name, msg):
    dock(BACKEND.name, t, "%s,%03d [%s] %s: %s" % (ymd_hms(t), (t // 1000) % 1000, level, name, msg))


def traffic(starts, s_fe, new_start):
    host = EXT_IP
    ref = "http://%s/" % EXT_IP
    # 2.5: Chrome upgrades to https; port 443 is published onto nginx's plain-HTTP listener
    for i, t in enumerate([s_fe + 3_120_000, s_fe + 3_810_000]):
        NGX["conn"] += 1
        access(t, USER_IP, tls_bytes(), 400, 157, "-", "-", ["tls-on-http-port"], "tls%d" % i)
    # local smoke test from the VM (through docker-proxy: source 172.18.0.1)
    t = s_fe + 6_900_000
    NGX["conn"] += 1
    access(t, "172.18.0.1", "HEAD / HTTP/1.1", 200, 0, "-", CURL)
    w = starts[5] + 150_000
    upstream_refused(w, "172.18.0.1", "/api/health", "localhost")
    access(w + 600, "172.18.0.1", "GET /api/health HTTP/1.1", 502, 157, "-", CURL, ["nginx-502"], "502first")
    # the developer types http:// : the page loads, every API call is a 502
    t = starts[6] - 650_000
    NGX["conn"] += 1
    access(t, USER_IP, "GET / HTTP/1.1", 200, PAGES["/"])
    for j, p in enumerate(["/assets/index-DkR3t9Qa.js", "/assets/index-B2v8nXyc.css", "/assets/logo-athena-Cw1sK3dL.svg", "/favicon.ico"]):
        access(t + 41000 + j * 9000 + (380_000 if p == "/assets/index-DkR3t9Qa.js" else 0), USER_IP, "GET %s HTTP/1.1" % p, 200, PAGES[p], ref)
    for k, st in enumerate(starts[6:9]):
        if k > 0:
            access(st - 60_000, USER_IP, "GET / HTTP/1.1", 304, 0)
        for j, p in enumerate(["/api/dashboard/summary", "/api/alerts?status=open&limit=20"]):
            tt = st + 120_000 + j * 23000 + R.randint(0, 8000)
            upstream_refused(tt, USER_IP, p, host, ref)
            access(tt + 500, USER_IP, "GET %s HTTP/1.1" % p, 502, 157, ref, CHROME, ["nginx-502"], "502b%d%d" % (k, j))
    # the fixed backend
    b = BACKEND.name
    g0 = new_start + 421_000
    dock(b, g0, gunicorn(g0, 1, "INFO", "Starting gunicorn 21.2.0"), mark="fixed")
    dock(b, g0 + 1300, gunicorn(g0 + 1300, 1, "INFO", "Listening at: http://0.0.0.0:8000 (1)"))
    dock(b, g0 + 1400, gunicorn(g0 + 1400, 1, "INFO", "Using worker: sync"))
    dock(b, g0 + 4000, gunicorn(g0 + 4000, 8, "INFO", "Booting worker with pid: 8"))
    app_log(g0 + 1_092_000, "INFO", "athena_eye", "logging to /app/logs/athena_eye.log")
    app_log(g0 + 1_241_000, "INFO", "athena_eye.db", "MySQL pool ready (db:3306/athena_eye, size=5)")
    app_log(g0 + 1_262_000, "INFO", "athena_eye", "Athena Eye API 1.3.0 started (env=production)")
    # normal use: reload, log in, dashboard polling alerts every 30 s (60 s once the tab is hidden)
    t = new_start + 14_200_000
    access(t, USER_IP, "GET / HTTP/1.1", 304, 0)
    access(t + 2_900_000, USER_IP, "GET /login HTTP/1.1", 200, PAGES["/"], ref)
    t += 21_400_000
    api_ok(t, "/api/auth/login", 412, ref="http://%s/login" % EXT_IP, method="POST", ms=212)
    app_log(t + 205_000, "INFO", "athena_eye.auth", "login ok user=admin ip=%s" % USER_IP)
    api_ok(t + 640_000, "/api/auth/me", 187)
    api_ok(t + 700_000, "/api/dashboard/summary", 1845, ms=61)
    api_ok(t + 702_000, "/api/alerts?status=open&limit=20", 2311, ms=34)
    poll_end_active = T("10:55:12")
    poll_end = T("11:41:30")
    nav = {T("10:30:40"): [("/api/cameras", 3391)],
           T("10:31:02"): [("/api/cameras/3", 912), ("/api/cameras/3/snapshot", 84113)],
           T("10:31:40"): [("/api/cameras/5", 907), ("/api/cameras/5/snapshot", 79302)],
           T("10:33:15"): [("/api/events?page=1&size=20", 9114)],
           T("10:33:51"): [("/api/events?page=2&size=20", 9087)],
           T("10:34:20"): [("/api/events?page=3&size=20", 8975)],
           T("10:36:05"): [("/api/events/18823", 1532)],
           T("10:41:12"): [("/api/cameras", 3391)],
           T("10:41:30"): [("/api/cameras/1", 918), ("/api/cameras/1/snapshot", 90411)],
           T("10:47:55"): [("/api/settings", 688)],
           T("10:48:40"): [("/api/settings/notifications", 231)],
           T("10:52:10"): [("/api/dashboard/summary", 1851)],
           T("11:52:20"): [("/api/auth/me", 187), ("/api/dashboard/summary", 1862), ("/api/alerts?status=open&limit=20", 2420)],
           T("11:53:05"): [("/api/events?page=1&size=20", 9140)],
           T("11:54:31"): [("/api/cameras", 3391), ("/api/cameras/2/snapshot", 81766)]}
    t += 30_000_000
    n = 0
    while t < poll_end:
        size = 2311 + R.choice([0, 0, 0, 188, 188, 371, -201])
        api_ok(t, "/api/alerts?status=open&limit=20", size, ms=R.randint(18, 55))
        n += 1
        if n % 10 == 0:
            api_ok(t + 40_000, "/api/dashboard/summary", 1845 + R.randint(0, 20), ms=R.randint(40, 90))
        t += (30_000_000 if t < poll_end_active else 60_000_000) + R.randint(-4000, 9000)
    t = T("11:52:51.118204")
    while t < T("11:56:30"):
        api_ok(t, "/api/alerts?status=open&limit=20", 2420 + R.choice([0, 0, 188]), ms=R.randint(18, 55))
        t += 30_000_000 + R.randint(-4000, 9000)
    for tn in sorted(nav):
        for j, (p, size) in enumerate(nav[tn]):
            api_ok(tn + j * 35000 + R.randint(0, 900000), p, size, ms=R.randint(12, 140))
    app_log(T("10:31:02.403118"), "INFO", "athena_eye.cameras", "snapshot camera=3 cache=miss 64.2ms")
    app_log(T("10:41:30.512771"), "INFO", "athena_eye.cameras", "snapshot camera=1 cache=miss 71.9ms")
    app_log(T("10:48:41.004220"), "INFO", "athena_eye.settings", "notification settings read user=admin")
    app_log(T("11:00:00.021553"), "INFO", "athena_eye.scheduler", "job cleanup_events finished in 0.41s, removed 312 rows")
    app_log(T("11:30:00.019804"), "INFO", "athena_eye.scheduler", "job cleanup_events finished in 0.22s, removed 47 rows")
    app_log(T("12:00:00.024117"), "INFO", "athena_eye.scheduler", "job cleanup_events finished in 0.19s, removed 0 rows")
    app_log(T("11:52:20.611304"), "INFO", "athena_eye.auth", "session refreshed user=admin ip=%s" % USER_IP)
    access(T("11:52:19.880412"), USER_IP, "GET / HTTP/1.1", 200, PAGES["/"])
    # the internet finds port 80 (static paths fall through to index.html; POSTs to static get 405)
    ua_x = ("Expanse, a Palo Alto Networks company, searches across the global IPv4 space multiple times per day to identify "
            "customers&#39; presences on the Internet. If you would like to be excluded from our scans, please send IP "
            "addresses/domains to: scaninfo@paloaltonetworks.com")
    old_chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36"
    censys = "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)"
    scans = [
        ("10:30:12", "167.94.138.52", "GET / HTTP/1.1", 200, 612, censys),
        ("10:30:13", "167.94.138.52", "GET /favicon.ico HTTP/1.1", 200, 4286, censys),
        ("10:37:48", "205.210.31.166", "GET / HTTP/1.1", 200, 612, ua_x),
        ("10:44:02", "45.148.10.242", "GET /.env HTTP/1.1", 200, 612, old_chrome),
        ("10:44:02", "45.148.10.242", "GET /.git/config HTTP/1.1", 200, 612, old_chrome),
        ("10:44:03", "45.148.10.242", "GET /config.json HTTP/1.1", 200, 612, old_chrome),
        ("10:51:27", "64.62.197.22", "GET / HTTP/1.1", 200, 612, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"),
        ("10:58:44", "78.153.140.179", "GET /wp-admin/setup-config.php HTTP/1.1", 200, 612, old_chrome),
        ("10:58:45", "78.153.140.179", "GET /wordpress/wp-admin/setup-config.php HTTP/1.1", 200, 612, old_chrome),
        ("11:06:31", "193.41.206.36", "POST /cgi-bin/luci/;stok=/locale HTTP/1.1", 405, 157, "-"),
        ("11:12:09", "147.185.132.96", "GET / HTTP/1.1", 200, 612, ua_x),
        ("11:19:55", "185.242.226.10", "GET / HTTP/1.0", 200, 612, "-"),
        ("11:24:40", "20.163.14.201", "GET /remote/login HTTP/1.1", 200, 612, old_chrome),
        ("11:33:17", "102.129.235.21", "GET /api/v1/pods HTTP/1.1", 404, 207, "Go-http-client/1.1"),
        ("11:33:18", "102.129.235.21", "GET /actuator/health HTTP/1.1", 200, 612, "Go-http-client/1.1"),
        ("11:38:02", "198.235.24.133", "GET / HTTP/1.1", 200, 612, ua_x),
        ("11:46:50", "162.142.125.221", "GET / HTTP/1.1", 200, 612, censys),
        ("11:46:51", "162.142.125.221", "GET /robots.txt HTTP/1.1", 200, 612, censys),
        ("11:58:13", "45.156.128.44", "GET /index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=HelloThinkPHP21 HTTP/1.1", 200, 612, old_chrome),
        ("12:02:37", "87.236.176.182", "GET / HTTP/1.1", 200, 612, "Mozilla/5.0 (compatible; InternetMeasurement/1.0; +https://internet-measurement.com/)"),
    ]
    for hh, ip, req, st, size, ua in scans:
        t = T(hh) + R.randint(0, 999_999)
        if req.startswith("GET /api/"):
            api_ok(t, req.split(" ")[1], size, ip=ip, ref="-", status=st, ua=ua, ms=3)
        else:
            access(t, ip, req.replace("\\", "\\x5C"), st, size, "-", ua)


# --------------------------------------------------------------------------------------------
# background noise: ssh scanners, cron, the developer's later sudo, logout

def background():
    for hh in ["09:06:12", "09:11:03", "09:19:47", "09:29:58", "09:41:15", "09:50:33", "09:56:02", "10:02:44",
               "10:11:38", "10:17:50", "10:29:30", "10:35:12", "10:43:55", "10:52:41", "11:01:19", "11:08:06",
               "11:15:31", "11:22:47", "11:29:13", "11:37:02", "11:44:58", "11:51:09", "11:59:36", "12:04:11"]:
        ssh_noise(T(hh) + R.randint(0, 900_000))
    cron_hourly(T("09:17:01.204118"), 2262)
    cron_hourly(T("10:17:01.118552"), 5658)
    cron_hourly(T("11:17:01.301227"), 3630)
    jrs(T("11:05:33.802004"), "systemd[1]", ["Starting Daily apt download activities...",
                                             "apt-daily.service: Deactivated successfully.",
                                             "Finished Daily apt download activities.",
                                             "apt-daily.service: Consumed 9.118s CPU time."], 3_000_000)
    ssh_logout(T("12:03:10.441872"), 1302, 40188, 1, True, None)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    boot1()
    apt_trouble()
    socket_trouble()
    compose_up_first()
    db_config_attempts()
    shutdown_for_resize()
    boot2()
    s_be, s_fe = compose_up_boot2()
    recreate_at = T("10:28:18.000000")
    starts = backend_crash_loop(s_be, recreate_at)
    new_start = fix_backend(T("10:28:13.880441"))
    traffic(starts, s_fe, new_start)
    background()
    write(outdir)


# --------------------------------------------------------------------------------------------
# output

def write(outdir):
    width = max(len(c) for c in (DB.name, BACKEND.name, FRONTEND.name)) + 1
    expected = []
    marks = {}
    lines = []
    for ns, _, svc, text, ids, mark in sorted(COMPOSE, key=lambda e: (e[0], e[1])):
        s, n = divmod(ns, 1_000_000_000)
        ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%09dZ" % n
        lines.append("%-*s | %s %s" % (width, svc, ts, text))
        for i in ids:
            expected.append(("docker-compose.log", len(lines), i))
        if mark:
            marks[mark] = ("docker-compose.log", len(lines), ns // 1000)
    with open(os.path.join(outdir, "docker-compose.log"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    n_compose = len(lines)

    ents = sorted(JOURNAL, key=lambda e: (e[0], e[1]))
    fmt_day = lambda t: time.strftime("%a %Y-%m-%d %H:%M:%S UTC", gm(t))
    out = ["-- Journal begins at %s, ends at %s. --" % (fmt_day(ents[0][0]), fmt_day(ents[-1][0]))]
    booted2 = False
    for t, _, ident, text, ids, mark in ents:
        if t >= BOOT2 and not booted2:
            out.append("-- Boot %s --" % BOOT2_ID)
            booted2 = True
        prefix = "%s %s %s: " % (time.strftime("%Y-%m-%dT%H:%M:%S+0000", gm(t)), HOST, ident)
        parts = text.split("\n")
        out.append(prefix + parts[0])
        for i in ids:
            expected.append(("host.log", len(out), i))
        if mark:
            marks[mark] = ("host.log", len(out), t)
        for p in parts[1:]:
            out.append(" " * len(prefix) + p)
    with open(os.path.join(outdir, "host.log"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")

    with open(os.path.join(outdir, "expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for file, ln, i in expected:
            f.write("%s\t%d\t%s\n" % (file, ln, i))

    readme(outdir, marks, n_compose, len(out), expected)


def readme(outdir, marks, n_compose, n_host, expected):
    def at(m):
        f, ln, t = marks[m]
        return "`%s:%d`" % (f, ln)

    def hm(m):
        t = marks[m][2]
        return hms(t)

    counts = {}
    for f, _, i in expected:
        counts[i] = counts.get(i, 0) + 1
    rows = [
        (hm("nopubkey"), "2.1", "`apt-get update`: the hand-added Docker repo has no `signed-by=` key: `NO_PUBKEY 7EA0A9C3F273FCD8`, repo *not signed*", at("nopubkey") + ", " + at("notsigned")),
        (hm("lock"), "2.1", "`apt-get install` waits for the dpkg lock held by unattended-upgrades (pid 2187)", at("lock")),
        (hm("dpkg"), "2.1", "the user `kill -9`s unattended-upgr from a second SSH window; apt now says dpkg was interrupted", at("dpkg")),
        ("09:25-09:32", "2.1", "`sudo dpkg --configure -a`, then Docker 28.5 via get.docker.com", "`host.log` (sudo, groupadd, containerd, dockerd)"),
        (hm("denied1"), "2.2", "`docker ps` as the user: socket permission denied (no `docker` group yet)", at("denied1")),
        ("09:34", "2.2", "`sudo usermod -aG docker`, log out, log in again", "`host.log` (usermod, sshd)"),
        (hm("denied2"), "2.2", "denied again from the old `screen` session (`screen=2214.deploy`, groups without `docker`)", at("denied2")),
        (hm("db1start"), "2.3", "first `docker compose up -d --build`: db starts initialising on the 1 GB VM", at("db1start")),
        (hm("unhealthy"), "2.3", "healthcheck gives up during the slow initialisation: compose stops with *dependency failed … unhealthy*", at("unhealthy")),
        (hm("db1last"), "2.3", "last db line; no error follows (the silent death)", at("db1last")),
        (hm("oom1"), "2.3", "kernel OOM killer kills `mysqld --initialize` (pid 4242) in the db container", ", ".join(at(m) for m in ("oom1", "oom2", "oom3", "oomscope"))),
        (hm("unknown-query_cache_type"), "2.3", "low-memory `my.cnf` copied from a MySQL 5.7 guide: `unknown variable 'query_cache_type=0'`", at("unknown-query_cache_type")),
        (hm("unknown-query_cache_size"), "2.3", "that line removed, the next 5.7-only option fails the same way", at("unknown-query_cache_size")),
        (hm("nogroup"), "2.3", "rewritten `my.cnf` whose line 1 is not a `[mysqld]` header: *Found option without preceding group*", at("nogroup")),
        ("10:21-10:23", "2.3", "VM stopped, resized to e2-small (2 GB), booted (`-- Boot … --` in host.log)", "`host.log`"),
        (hm("dbready"), "2.3", "fixed `my.cnf` on 2 GB: the db initialises and becomes healthy", at("db5start") + " … " + at("dbready")),
        (hm("guni0"), "2.4", "backend starts; the worker dies on `FileNotFoundError: … '/app/logs/athena_eye.log'`, *Worker failed to boot*, Docker restarts it with back-off", at("fnf0") + ", " + at("reason0")),
        (hm("tls0"), "2.5", "the browser tries HTTPS; port 443 is published onto nginx's plain-HTTP port: TLS ClientHello logged as a 400", at("tls0") + ", " + at("tls1")),
        (hm("502first"), "2.4", "`curl` on the VM and the browser (now on `http://`): nginx `connect() failed (111: Connection refused)` and 502s", at("502first") + " …"),
        (hm("fixed"), "2.4", "`RUN mkdir logs` added to the Dockerfile, backend rebuilt and recreated: boots fine, traffic is 200s", at("fixed")),
    ]
    rows.sort(key=lambda r: r[0])
    table = "\n".join("| %s | %s | %s | %s |" % r for r in rows)
    ids = ", ".join("`%s` %d" % (k, counts[k]) for k in sorted(counts))
    text = README % {"table": table, "ids": ids, "n_compose": n_compose, "n_host": n_host, "n_expected": len(expected)}
    with open(os.path.join(outdir, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


README = """# Demo incident: deploying Athena Eye to a 1 GB GCP VM

`triage demo` replays these files. They show, as a real machine would have logged them, the
deployment that the Athena Eye postmortem (`postmortem-athena-eye.zh.md`, sections 2.1-2.5)
describes: Friday 2026-11-27, 09:01-12:05 UTC, a GCP e2-micro (1 GB, later resized to e2-small)
running Ubuntu 22.04, three containers from `docker-compose.yml`.

| file | what it is | lines |
| --- | --- | --- |
| `docker-compose.log` | `docker compose logs -t --no-color` for `athena_eye_db` (mysql:8.0.36), `athena_eye_backend` (gunicorn 21.2.0, Flask app `athena_eye`) and `athena_eye_frontend` (nginx 1.25.3), merged by time | %(n_compose)d |
| `host.log` | `journalctl -o short-iso` on the VM `athena-eye-vm` (two boots) | %(n_host)d |
| `expected.tsv` | `<file> TAB <line> TAB <id>`: every line that is one of the known failures | %(n_expected)d |
| `generate.py` | the deterministic script that wrote all of the above (`python3 generate.py`) | |

The developer ran the deployment steps through a small wrapper, `~/athena-eye/athena-deploy.sh`,
that traces each command (`set -x`) and copies its output to the journal (`systemd-cat -t
athena-deploy.sh`). That is why apt's, docker's and compose's terminal output appears in
`host.log` as `athena-deploy.sh[PID]:` lines. Each run starts with a `== … ==` line giving the
user's groups and the `screen` session it ran in.

## Timeline

| time (UTC) | postmortem | what happens | where |
| --- | --- | --- | --- |
%(table)s

Failure lines per id: %(ids)s.

## Notes

- The compose file: db (no restart policy; healthcheck `mysqladmin ping -h 127.0.0.1` every
  10 s, 5 retries; `./mysql/conf.d` mounted on `/etc/mysql/conf.d`), backend and frontend with
  `restart: unless-stopped`. The frontend publishes both 80 and 443 onto nginx's plain-HTTP
  port 80, so a browser that upgrades to HTTPS sends its TLS handshake to an HTTP listener.
- The compose prefix timestamp is when Docker received the line (nanoseconds). The timestamp
  that mysqld, gunicorn or nginx wrote inside the line is a little earlier.
- The first `docker compose up` reports the db *unhealthy* a few seconds **before** the kernel
  kills mysqld. On the crawling 1 GB VM the healthcheck had already failed five times. If
  mysqld had died first, compose would have reported `exited (137)` instead.
- 10:06-10:14: after each `my.cnf` edit the db container is started by hand (`docker compose up
  -d db`). It is the same container throughout, so all of its output is in the log. The
  backend container is recreated at 10:28. Its crash-loop output is shown as a `docker compose
  logs -f -t --no-color` left running in a screen window would have recorded it.
- The first 2.5 symptom, `ERR_CONNECTION_TIMED_OUT` while the GCP firewall was closed, happens
  only in the browser, so no log line shows it.
- Healthy traffic runs from 10:28 to 12:05: the dashboard polling its API, internet scanners,
  and the ordinary warnings of mysqld and nginx at startup. None of it is a failure.
"""

if __name__ == "__main__":
    main()
