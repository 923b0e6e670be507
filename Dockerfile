# The learner's kit in a container: Debian 12 with every tool the kernel
# needs, installed by scripts/setup.sh as on any Debian machine, and the
# kernel already built. For Windows and macOS, or to keep your machine as it is.
#
#   docker build -t teaching-kernel .
#   docker run --rm -it teaching-kernel                 # make run; quit QEMU with Ctrl-A X
#   docker run --rm -it teaching-kernel make run DEMO=ipc
#   docker run --rm -it -v "$PWD":/src teaching-kernel make test   # your checkout
#
# .devcontainer/devcontainer.json opens the same image in VS Code (Dev
# Containers) with your checkout as the workspace. docs/DEVELOPMENT_SETUP.md
# has the details.
FROM debian:12

ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
WORKDIR /src

# The tools first, in a layer of their own that edits to the sources keep.
# git is for make test's style test and for the dev container; a checkout
# mounted from the host belongs to another user, which git must be told is fine.
COPY scripts/ scripts/
RUN scripts/setup.sh \
    && apt-get install -y -qq --no-install-recommends git >/dev/null \
    && git config --system --add safe.directory '*' \
    && rm -rf /var/lib/apt/lists/*

COPY . .
RUN make -j"$(nproc)"

CMD ["make", "run"]
