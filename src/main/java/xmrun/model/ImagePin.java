package xmrun.model;

/**
 * What a job's container image was resolved to at launch: every work unit of the job runs {@link #image},
 * which names {@link #digest} however the reference it was launched with moves later.
 *
 * @param reference the image as the launcher names it
 * @param digest    {@code sha256:...}: a file's sha256, or the registry's manifest digest; null when it could not be pinned
 * @param image     what the job script runs: a content-addressed copy of a file, {@code NAME@sha256:...}, a podman image id,
 *                  or (not pinned) the reference itself
 * @param note      how it was pinned, or why not
 */
public record ImagePin(String job, String runtime, String reference, String digest, String image, String note) {
    public boolean pinned() {
        return digest != null;
    }
}
