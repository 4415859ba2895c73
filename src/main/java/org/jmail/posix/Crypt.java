package org.jmail.posix;

import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * crypt(3) from libxcrypt (libcrypt.so.1), the library PAM's pam_unix uses, so every hash
 * Debian writes to /etc/shadow verifies here: {@code $y$} yescrypt, {@code $gy$}, {@code $7$},
 * {@code $2b$} bcrypt, {@code $6$}, {@code $5$}, {@code $1$} and traditional DES.
 *
 * <p>Plain crypt(3) returns a static buffer and is not reentrant; this binds the reentrant
 * {@code crypt_rn(phrase, setting, data, size)} with one {@code struct crypt_data} per thread,
 * so concurrent logins hash in parallel (a yescrypt hash costs tens of milliseconds).
 *
 * <p>Failure modes: an unsupported or malformed setting gives {@code null} from
 * {@link #crypt}, never an exception; {@link #available()} is false when libcrypt can't be
 * loaded (then {@link #crypt} throws {@link IllegalStateException}).
 */
public final class Crypt {

    /** libxcrypt's sizeof(struct crypt_data) is 32768; crypt_rn refuses a smaller buffer. */
    private static final int CRYPT_DATA_SIZE = 32768;

    /** The jnr-ffi binding; names and argument types as in libxcrypt's crypt.h. */
    public interface Api {
        Pointer crypt_rn(@In byte[] phrase, @In byte[] setting, Pointer data, int size);

        Pointer crypt_gensalt_rn(@In byte[] prefix, long count, @In byte[] rbytes, int nrbytes,
                                 @Out byte[] output, int outputSize);
    }

    private static final Api API;
    private static final jnr.ffi.Runtime RUNTIME;
    private static final Throwable LOAD_ERROR;

    static {
        Api api = null;
        jnr.ffi.Runtime runtime = null;
        Throwable error = null;
        try {
            api = LibraryLoader.create(Api.class).load("crypt");
            runtime = jnr.ffi.Runtime.getRuntime(api);
        } catch (Throwable t) { // UnsatisfiedLinkError and friends: report through available()
            error = t;
        }
        API = api;
        RUNTIME = runtime;
        LOAD_ERROR = error;
    }

    private static final ThreadLocal<Pointer> DATA = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(RUNTIME, CRYPT_DATA_SIZE, true));

    private Crypt() {
    }

    /** True when libcrypt was loaded. */
    public static boolean available() {
        return API != null;
    }

    /**
     * crypt(3): hashes {@code password} (as UTF-8 bytes) with the method and salt of
     * {@code setting} (a full hash works as setting). Null when libcrypt refuses the setting.
     */
    public static String crypt(String password, String setting) {
        requireLoaded();
        if (password.indexOf('\0') >= 0 || setting.indexOf('\0') >= 0) {
            return null; // C strings: a NUL would silently truncate the password
        }
        Pointer out = API.crypt_rn(cString(password), cString(setting), DATA.get(), CRYPT_DATA_SIZE);
        if (out == null) {
            return null;
        }
        String hash = out.getString(0, 512, StandardCharsets.US_ASCII);
        // libxcrypt's failure token starts with '*' and is never a valid hash
        return hash.startsWith("*") ? null : hash;
    }

    /**
     * crypt_gensalt(3): a fresh setting for {@code prefix} ("$y$", "$6$", "$5$", "$1$",
     * "$2b$"), random bytes from the OS, default cost. Null when the prefix is unsupported.
     */
    public static String gensalt(String prefix) {
        requireLoaded();
        byte[] out = new byte[256];
        Pointer p = API.crypt_gensalt_rn(cString(prefix), 0, null, 0, out, out.length);
        if (p == null) {
            return null;
        }
        int n = 0;
        while (n < out.length && out[n] != 0) {
            n++;
        }
        return new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    private static void requireLoaded() {
        if (API == null) {
            throw new IllegalStateException("libcrypt not available: " + LOAD_ERROR);
        }
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, b.length);
        return c;
    }
}
