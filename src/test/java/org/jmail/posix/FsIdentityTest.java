package org.jmail.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsIdentityTest {

    @TempDir
    Path dir;

    private static UnixUser nobody() {
        UnixUser u = Posix.getpwnam("nobody");
        assumeTrue(u != null, "no nobody account");
        return u;
    }

    @Test
    void fileCreatedInsideRunAsIsOwnedByThatUser() throws Exception {
        assumeTrue(FsIdentity.isSupported(), "needs root");
        UnixUser nobody = nobody();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String path = dir.resolve("owned").toString();
        FsIdentity.runAs(nobody, () -> {
            try (NativeFile f = NativeFile.open(path, NativeFile.O_RDWR | NativeFile.O_CREAT | NativeFile.O_EXCL, 0600)) {
                f.writeFully(new byte[] {'x'}, 0, 1);
            }
            return null;
        });
        FileInfo info = NativeFile.lstat(path);
        assertEquals(nobody.uid(), info.uid());
        assertEquals(nobody.gid(), info.gid());
        assertEquals(FsIdentity.current(), new FsIdentity.Ids(0, 0), "identity restored");
    }

    @Test
    void userIdentityCannotWriteRootOnlyFile() throws Exception {
        assumeTrue(FsIdentity.isSupported(), "needs root");
        UnixUser nobody = nobody();
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "root only\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        PosixException e = assertThrows(PosixException.class, () -> FsIdentity.runAs(nobody, () ->
                NativeFile.open(secret.toString(), NativeFile.O_WRONLY | NativeFile.O_APPEND, 0)));
        assertEquals(PosixException.EACCES, e.errno());
        assertTrue(e.reason().startsWith("cannot open file: "), e.reason());
    }

    @Test
    void identityIsPerThread() throws Exception {
        assumeTrue(FsIdentity.isSupported(), "needs root");
        UnixUser nobody = nobody();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<FsIdentity.Ids> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                FsIdentity.runAs(nobody, () -> {
                    seen.set(FsIdentity.current());
                    inside.countDown();
                    done.await();
                    return null;
                });
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        inside.await();
        // While the other thread works as nobody, this one is still root and can write here.
        Path p = dir.resolve("still-root");
        Files.writeString(p, "x");
        assertEquals(0, NativeFile.lstat(p.toString()).uid());
        assertEquals(new FsIdentity.Ids(0, 0), FsIdentity.current());
        done.countDown();
        t.join();
        assertEquals(new FsIdentity.Ids(nobody.uid(), nobody.gid()), seen.get());
    }

    @Test
    void supplementaryGroupsAreReplacedAndRestored() throws Exception {
        assumeTrue(FsIdentity.isSupported(), "needs root");
        UnixUser nobody = nobody();
        int[] before = FsIdentity.groups();
        int[] inside = FsIdentity.runAs(nobody, FsIdentity::groups);
        assertEquals(1, inside.length);
        assertEquals(nobody.gid(), inside[0]);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(FsIdentity.groups()));
    }
}
