package xmrun.stage;

/** Told how an upload is going: bytes done of bytes in all. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> {
    };

    void update(long done, long total);
}
