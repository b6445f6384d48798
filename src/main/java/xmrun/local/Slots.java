package xmrun.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This machine's CPUs and GPUs, shared by every runner of the user through one lock file per CPU and
 * per GPU. A task runs while its runner holds the locks of its slots; the kernel drops a lock when its
 * process dies, so a killed runner never leaves slots taken.
 */
final class Slots {
    private final Path dir;
    private final int cpus;
    private final List<String> gpuIds;
    /** Slots this process holds: a second lock of the same file from one JVM would throw, not wait. */
    private final Set<String> heldHere = new HashSet<>();

    Slots(Path dir, int cpus, List<String> gpuIds) {
        this.dir = dir;
        this.cpus = cpus;
        this.gpuIds = List.copyOf(gpuIds);
    }

    /** What a task holds while it runs; {@link #gpus()} become its CUDA_VISIBLE_DEVICES. */
    record Grant(List<FileChannel> channels, List<String> slots, List<String> gpus) {
    }

    int cpus() {
        return cpus;
    }

    int gpuCount() {
        return gpuIds.size();
    }

    /** All of the slots, or none: a task never holds some while waiting for the rest. */
    Grant tryTake(int wantCpus, int wantGpus) {
        List<FileChannel> channels = new ArrayList<>();
        List<String> slots = new ArrayList<>();
        List<String> gpus = new ArrayList<>();
        int needCpus = Math.min(wantCpus, cpus); // a request larger than the machine runs alone rather than never
        for (int i = 0; i < cpus && slots.size() < needCpus; i++) {
            take("cpu." + i, channels, slots);
        }
        for (int i = 0; i < gpuIds.size() && gpus.size() < wantGpus; i++) {
            if (take("gpu." + gpuIds.get(i), channels, slots)) {
                gpus.add(gpuIds.get(i));
            }
        }
        Grant grant = new Grant(channels, slots, gpus);
        if (slots.size() - gpus.size() < needCpus || gpus.size() < Math.min(wantGpus, gpuIds.size())) {
            release(grant);
            return null;
        }
        return grant;
    }

    private boolean take(String slot, List<FileChannel> channels, List<String> slots) {
        if (heldHere.contains(slot)) {
            return false;
        }
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve(slot), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                return false;
            }
            channels.add(ch);
            slots.add(slot);
            heldHere.add(slot);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void release(Grant grant) {
        for (FileChannel ch : grant.channels()) {
            try {
                ch.close(); // closing the channel drops its lock
            } catch (IOException ignored) {
                // the lock goes with the process at the latest
            }
        }
        heldHere.removeAll(grant.slots());
    }
}
