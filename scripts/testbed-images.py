#!/usr/bin/env python3
"""Generate `docker load` archives that reproduce the catalog images for the real-Docker test bed.

Reads the catalog facts (TOML) and writes one docker-save archive per catalog image record
(manifest.json, <config-hex>.json, <layer>/layer.tar, repositories). Each image config carries the
catalog's created date, history, config (Env, Cmd, Entrypoint, ExposedPorts, WorkingDir, StopSignal,
User, Labels, Volumes), architecture and os, and exactly as many layers as the catalog, at the same
history positions.

Layer contents are small deterministic tars (sorted entries, mtime 0, uid/gid 0) derived from the
catalog layer digest only, so layers the catalog shares between images are byte-identical and the
real engine shares them too ("Already exists" on pull). Every base layer carries /bin/busybox (from
the host's busybox-static) with /bin/sh, /bin/bash and a few applets, so containers can run; the
programs named by each image's Entrypoint/Cmd are small shell scripts put in the image's last layer
that no other image shares. The WORKDIR blob of the catalog (4f4fb700ef54) is a truly empty tar:
1024 zero bytes.

Usage: testbed-images.py [--facts PATH] [--repo-prefix PREFIX] --out DIR
  --facts        catalog facts TOML; default $DOCKLAB_CATALOG_FACTS, else ../shared/catalog-facts.toml
                 relative to the repository root.
  --repo-prefix  prepended to NAME:TAG in the archives' RepoTags (the test bed uses
                 127.0.0.1:5000/library/); default empty.
Prints one line per archive: FILE<TAB>IMAGE-ID<TAB>REPO:TAG,...
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import os
import sys
import struct
import tarfile
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - python < 3.11
    sys.exit("testbed-images.py needs Python 3.11+ (tomllib)")

REPO_ROOT = Path(__file__).resolve().parent.parent
EMPTY_BLOB = "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
BUSYBOX = Path("/bin/busybox")
APPLETS = [
    "sh", "ash", "sleep", "echo", "cat", "ls", "env", "true", "false", "pwd", "id",
    "hostname", "ps", "uname", "mkdir", "rm", "cp", "mv", "printf", "head", "tail", "grep", "sed",
    "wc", "date", "touch", "chmod", "ln", "kill", "test", "which",
]
# Where the real images keep the programs their Cmd/Entrypoint name; others go to /usr/local/bin.
KNOWN_PATHS = {"nginx": "/usr/sbin/nginx"}
SERVERS = {"nginx", "memcached", "httpd-foreground", "redis-server", "postgres"}
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/ash"}

APT_GET = """#!/bin/sh
# Test-bed stand-in for apt-get/apk: no network, no packages, no output; `install nginx` adds a
# server that stays up, in the paths Debian's package uses, and any other package name leaves a
# file, so that installing a package makes a layer with content as the real package managers do.
for arg in "$@"; do
    case "$arg" in
        -*|update|upgrade|install|add|clean|del|remove)
            ;;
        nginx)
            mkdir -p /var/log/nginx /var/www/html /usr/sbin
            printf '#!/bin/sh\nexec sleep 2147483647\n' > /usr/sbin/nginx
            chmod 755 /usr/sbin/nginx
            ;;
        *)
            mkdir -p "/usr/share/doc/$arg"
            echo "test-bed stand-in for $arg" > "/usr/share/doc/$arg/installed"
            ;;
    esac
done
"""

HELLO_TEXT = """
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

"""

# A server stays up until docker stop; it exits 0 on its stop signal, as the real servers do.
SERVER_SCRIPT = """#!/bin/sh
# docklab test bed stand-in for {prog}: stays up until stopped.
trap 'exit 0' TERM INT QUIT HUP WINCH
sleep 2147483647 &
wait $!
"""
ENTRYPOINT_SCRIPT = """#!/bin/sh
# docklab test bed stand-in for {prog}
if [ "${{1#-}}" != "$1" ]; then set -- {default} "$@"; fi
exec "$@"
"""
SHELL_LIKE_SCRIPT = """#!/bin/sh
# docklab test bed stand-in for {prog}: an interactive shell, exits at end of input.
exec /bin/sh "$@"
"""


def default_facts() -> Path:
    env = os.environ.get("DOCKLAB_CATALOG_FACTS")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "catalog-facts.toml"


class Entry:
    """One tar entry: a directory, a regular file, a file of `size` zero bytes, or a symlink."""

    def __init__(self, path: str, kind: str, data: bytes = b"", mode: int = 0o644, target: str = "",
                 size: int = 0, source: Path | None = None):
        self.path, self.kind, self.data, self.mode, self.target = path, kind, data, mode, target
        self.size, self.source = size, source


class Zeros(io.RawIOBase):
    def readinto(self, b) -> int:
        b[:] = bytes(len(b))
        return len(b)

    def readable(self) -> bool:
        return True


class HashingWriter:
    """A write-only file that hashes what it writes (tarfile needs write and tell)."""

    def __init__(self, f):
        self.f, self.sha, self.n = f, hashlib.sha256(), 0

    def write(self, b) -> int:
        self.sha.update(b)
        self.n += len(b)
        return self.f.write(b)

    def tell(self) -> int:
        return self.n


def write_tar(f, entries: dict[str, Entry]) -> None:
    """A deterministic tar: parents added, entries sorted, mtime 0, uid/gid 0, no user names."""
    full = dict(entries)
    for p in list(entries):
        parts = p.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            full.setdefault(d, Entry(d, "dir", mode=0o755))
    with tarfile.open(fileobj=f, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        tar.copybufsize = 1 << 20
        for path in sorted(full):
            e = full[path]
            info = tarfile.TarInfo(path + ("/" if e.kind == "dir" else ""))
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = e.mode
            if e.kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif e.kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = e.target
                info.mode = 0o777
                tar.addfile(info)
            elif e.kind == "zeros":
                info.size = e.size
                tar.addfile(info, io.BufferedReader(Zeros(), 1 << 20))
            elif e.source is not None:
                info.size = e.source.stat().st_size
                with e.source.open("rb") as src:
                    tar.addfile(info, src)
            else:
                info.size = len(e.data)
                tar.addfile(info, io.BytesIO(e.data))


def make_tar(entries: dict[str, Entry]) -> bytes:
    buf = io.BytesIO()
    write_tar(buf, entries)
    return buf.getvalue()


def hello_elf() -> bytes:
    """A tiny static x86-64 program that writes hello-world's greeting and exits 0, as /hello does."""
    msg = HELLO_TEXT.encode()
    code = (b"\xb8\x01\x00\x00\x00"            # mov eax, 1 (write)
            b"\xbf\x01\x00\x00\x00"            # mov edi, 1 (stdout)
            b"\x48\x8d\x35\x10\x00\x00\x00"  # lea rsi, [rip+16] (the message after this code)
            + b"\xba" + struct.pack("<I", len(msg))  # mov edx, len
            + b"\x0f\x05"                         # syscall
            b"\xb8\x3c\x00\x00\x00"            # mov eax, 60 (exit)
            b"\x31\xff"                           # xor edi, edi
            b"\x0f\x05")                          # syscall
    base, hdr = 0x400000, 64 + 56
    size = hdr + len(code) + len(msg)
    ehdr = (b"\x7fELF\x02\x01\x01" + bytes(9)
            + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, base + hdr, 64, 0, 0, 64, 56, 1, 0, 0, 0))
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, size, size, 0x1000)
    return ehdr + phdr + code + msg


def layer_key(image: dict, index: int, layer: dict) -> str:
    if "digest" in layer:
        return layer["digest"]
    diff_ids = image.get("diff_ids") or []
    if index < len(diff_ids):
        return "diffid:" + diff_ids[index]
    return f"unknown:{image['name']}:{image['tags'][0]}:{index}"


def short(key: str) -> str:
    return key.split(":")[-1][:12] if key.count(":") == 1 else hashlib.sha256(key.encode()).hexdigest()[:12]


def add(entries: dict[str, Entry], e: Entry) -> None:
    entries[e.path.strip("/")] = e


def base_entries(busybox: bytes) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    add(entries, Entry("bin/busybox", "file", busybox, 0o755))
    for applet in APPLETS:
        add(entries, Entry(f"bin/{applet}", "symlink", target="busybox"))
    # busybox-static has no bash applet: bash is a shell script that runs busybox's sh.
    add(entries, Entry("bin/bash", "file", b'#!/bin/sh\nexec /bin/busybox sh "$@"\n', 0o755))
    add(entries, Entry("usr/bin/bash", "symlink", target="/bin/bash"))
    add(entries, Entry("usr/bin/env", "symlink", target="/bin/busybox"))
    for d in ("tmp",):
        add(entries, Entry(d, "dir", mode=0o1777))
    for d in ("root", "usr/local/bin", "usr/sbin", "etc", "dev", "proc", "sys"):
        add(entries, Entry(d, "dir", mode=0o755))
    # Package managers, so that the labs' Dockerfiles (RUN apt-get install -y nginx …) build and
    # run on the test bed: `install` of nginx puts a stand-in server where Debian's package does.
    add(entries, Entry("usr/bin/apt-get", "file", APT_GET.encode(), 0o755))
    add(entries, Entry("sbin/apk", "file", APT_GET.encode(), 0o755))
    add(entries, Entry("var/log", "dir", mode=0o755))
    add(entries, Entry("etc/passwd", "file", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"))
    add(entries, Entry("etc/group", "file", b"root:x:0:\nnogroup:x:65534:\n"))
    return entries


def program_path(prog: str) -> str:
    if prog.startswith("/"):
        return prog
    return KNOWN_PATHS.get(prog, f"/usr/local/bin/{prog}")


def program_entries(image: dict) -> dict[str, Entry]:
    """Scripts for the programs named by Entrypoint/Cmd that the base layer does not provide."""
    cfg = image["config"]
    entries: dict[str, Entry] = {}
    entrypoint, cmd = cfg.get("entrypoint") or [], cfg.get("cmd") or []
    progs = [p[0] for p in (entrypoint, cmd) if p]
    default = cmd[0] if cmd else "sh"
    for prog in progs:
        if prog in SHELLS:
            continue
        name = prog.rsplit("/", 1)[-1]
        if prog == "/hello":
            continue  # hello-world's own layer
        if "entrypoint" in name:
            text = ENTRYPOINT_SCRIPT.format(prog=name, default=default)
        elif name in SERVERS:
            text = SERVER_SCRIPT.format(prog=name)
        else:
            text = SHELL_LIKE_SCRIPT.format(prog=name)
        add(entries, Entry(program_path(prog), "file", text.encode(), 0o755))
    user = cfg.get("user") or ""
    if user and not user.split(":")[0].isdigit() and user != "root":
        u = user.split(":")[0]
        add(entries, Entry("etc/passwd", "file", (
            "root:x:0:0:root:/root:/bin/sh\n"
            f"{u}:x:999:999:{u}:/home/{u}:/bin/sh\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").encode()))
        add(entries, Entry("etc/group", "file", f"root:x:0:\n{u}:x:999:\nnogroup:x:65534:\n".encode()))
    return entries


def build_config(image: dict, diff_ids: list[str]) -> bytes:
    c = image["config"]
    cfg: dict = {}
    if c.get("user"):
        cfg["User"] = c["user"]
    if c.get("exposed_ports"):
        cfg["ExposedPorts"] = {p: {} for p in c["exposed_ports"]}
    if c.get("env"):
        cfg["Env"] = list(c["env"])
    if c.get("entrypoint"):
        cfg["Entrypoint"] = list(c["entrypoint"])
    if c.get("cmd"):
        cfg["Cmd"] = list(c["cmd"])
    if c.get("volumes"):
        cfg["Volumes"] = {v: {} for v in c["volumes"]}
    if c.get("working_dir"):
        cfg["WorkingDir"] = c["working_dir"]
    if c.get("labels"):
        cfg["Labels"] = dict(c["labels"])
    if c.get("stop_signal"):
        cfg["StopSignal"] = c["stop_signal"]
    history = []
    for h in image["history"]:
        e = {"created": h["created"], "created_by": h["created_by"]}
        if h.get("comment"):
            e["comment"] = h["comment"]
        if h.get("empty_layer"):
            e["empty_layer"] = True
        history.append(e)
    doc = {
        "architecture": "amd64",
        "config": cfg,
        "created": image["created"],
        "history": history,
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


def check_positions(image: dict) -> None:
    nonempty = [i for i, h in enumerate(image["history"]) if not h.get("empty_layer")]
    positions = [layer["history_index"] for layer in image["layer"]]
    if nonempty != positions:
        raise SystemExit(f"{image['name']}:{image['tags'][0]}: layers at history {positions}, "
                         f"non-empty history entries at {nonempty}")


def generate(facts: Path, out: Path, prefix: str, sizes: str) -> list[tuple[str, str, list[str]]]:
    with facts.open("rb") as f:
        catalog = tomllib.load(f)
    images = catalog["image"]
    if not BUSYBOX.is_file():
        raise SystemExit(f"{BUSYBOX} is missing: apt-get install busybox-static")
    busybox = BUSYBOX.read_bytes()

    users = collections.Counter()
    for image in images:
        for key in {layer_key(image, i, l) for i, l in enumerate(image["layer"])}:
            users[key] += 1

    # An image's programs go to its biggest layer that no other image shares (the base otherwise).
    layer_extra: dict[str, dict[str, Entry]] = {}
    for image in images:
        check_positions(image)
        extra = program_entries(image)
        if image["name"] == "hello-world":
            continue
        own = [(l["size_uncompressed"], i, layer_key(image, i, l)) for i, l in enumerate(image["layer"])
               if i > 0 and users[layer_key(image, i, l)] == 1 and layer_key(image, i, l) != EMPTY_BLOB]
        if own:
            layer_extra[max(own)[2]] = extra
        elif extra:
            raise SystemExit(f"{image['name']}:{image['tags'][0]} needs {sorted(extra)} "
                             "but has no layer of its own to put them in")

    out.mkdir(parents=True, exist_ok=True)
    (out / "layers").mkdir(exist_ok=True)
    layer_cache: dict[str, tuple[str, Path]] = {}

    def layer_tar(image: dict, index: int, key: str) -> tuple[str, Path]:
        """Write the layer's tar once per key; return its diff_id hex and path."""
        if key in layer_cache:
            return layer_cache[key]
        entries: dict[str, Entry] = {}
        if key != EMPTY_BLOB:
            if image["name"] == "hello-world":
                add(entries, Entry("hello", "file", hello_elf(), 0o755))
            elif index == 0:
                entries = base_entries(busybox)
            entries.update(layer_extra.get(key, {}))
            # A directory marker makes each catalog layer distinct without adding to its size.
            add(entries, Entry(f".docklab/{short(key)}", "dir", mode=0o755))
            # Docker counts a layer's size from the unpacked files' lstat: symlinks count their
            # target's length, directories nothing.
            content = (sum(len(e.data) for e in entries.values() if e.kind == "file")
                       + sum(len(e.target) for e in entries.values() if e.kind == "symlink"))
            target = image["layer"][index]["size_uncompressed"]
            if sizes == "catalog" and target > content:
                add(entries, Entry(f".docklab/{short(key)}/pad", "zeros", size=target - content))
            elif sizes == "catalog" and target < content:
                print(f"testbed-images.py: note: layer {short(key)} of {image['name']} holds {content} B, "
                      f"more than the catalog's {target} B", file=sys.stderr)
        path = out / "layers" / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.tar"
        with path.open("wb") as f:
            if key == EMPTY_BLOB:
                w = HashingWriter(f)
                w.write(bytes(1024))
            else:
                w = HashingWriter(f)
                write_tar(w, entries)
        layer_cache[key] = (w.sha.hexdigest(), path)
        return layer_cache[key]

    results = []
    for image in images:
        name, tags = image["name"], image["tags"]
        layers = [layer_tar(image, i, layer_key(image, i, l)) for i, l in enumerate(image["layer"])]
        diff_ids = [f"sha256:{h}" for h, _ in layers]
        config = build_config(image, diff_ids)
        config_hex = hashlib.sha256(config).hexdigest()
        repo_tags = [f"{prefix}{name}:{t}" for t in tags]
        archive = out / f"{name}-{tags[0]}.tar"
        write_archive(archive, config_hex, config, layers, repo_tags)
        results.append((str(archive), f"sha256:{config_hex}", repo_tags))
    return results


def write_archive(path: Path, config_hex: str, config: bytes, layers, repo_tags: list[str]) -> None:
    entries: dict[str, Entry] = {}
    add(entries, Entry(f"{config_hex}.json", "file", config))
    for h, layer_path in layers:
        add(entries, Entry(f"{h}/VERSION", "file", b"1.0"))
        add(entries, Entry(f"{h}/json", "file", json.dumps({"id": h}).encode()))
        add(entries, Entry(f"{h}/layer.tar", "file", source=layer_path))
    manifest = [{"Config": f"{config_hex}.json", "RepoTags": repo_tags,
                 "Layers": [f"{h}/layer.tar" for h, _ in layers]}]
    add(entries, Entry("manifest.json", "file", json.dumps(manifest, separators=(",", ":")).encode()))
    repos: dict[str, dict[str, str]] = {}
    for rt in repo_tags:
        repo, tag = rt.rsplit(":", 1)
        repos.setdefault(repo, {})[tag] = layers[-1][0]
    add(entries, Entry("repositories", "file", json.dumps(repos, separators=(",", ":")).encode()))
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        write_tar(f, entries)
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facts", type=Path, default=None)
    ap.add_argument("--repo-prefix", default="")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sizes", choices=["catalog", "small"], default="catalog",
                    help="catalog: pad each layer with zeros to the catalog's unpacked size (default); "
                         "small: no padding")
    args = ap.parse_args()
    facts = args.facts or default_facts()
    if not facts.is_file():
        sys.exit(f"testbed-images.py: catalog facts not found at {facts} "
                 "(set DOCKLAB_CATALOG_FACTS or pass --facts; CI has ../shared/ beside the clone)")
    for archive, image_id, tags in generate(facts, args.out, args.repo_prefix, args.sizes):
        print(f"{archive}\t{image_id}\t{','.join(tags)}")


if __name__ == "__main__":
    main()
