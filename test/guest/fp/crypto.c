// The Crypto extension through the ACLE intrinsics (ours): SHA-256 of "abc" and an
// AES-128 encryption of the FIPS-197 example block, compared by the reader with the
// published digests; PMULL of two 64-bit polynomials.
#include <arm_neon.h>
int printf(const char *fmt, ...);

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(uint32_t state[8], const uint8_t block[64]) {
	uint32x4_t s0 = vld1q_u32(state), s1 = vld1q_u32(state + 4);
	uint32x4_t a0 = s0, a1 = s1;
	uint32x4_t m[4];
	for (int i = 0; i < 4; i++) m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(block + 16 * i)));
	for (int i = 0; i < 16; i++) {
		uint32x4_t w = m[i & 3];
		if (i >= 4) {
			w = vsha256su1q_u32(vsha256su0q_u32(m[i & 3], m[(i + 1) & 3]), m[(i + 2) & 3], m[(i + 3) & 3]);
			m[i & 3] = w;
		}
		uint32x4_t wk = vaddq_u32(w, vld1q_u32(K + 4 * i));
		uint32x4_t t = s0;
		s0 = vsha256hq_u32(s0, s1, wk);
		s1 = vsha256h2q_u32(s1, t, wk);
	}
	vst1q_u32(state, vaddq_u32(s0, a0));
	vst1q_u32(state + 4, vaddq_u32(s1, a1));
}

void crypto_tests(void) {
	uint8_t block[64] = { 'a', 'b', 'c', 0x80 };
	block[63] = 24;
	uint32_t st[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	sha256_block(st, block);
	printf("sha256(abc) = ");
	for (int i = 0; i < 8; i++) printf("%08x", st[i]);
	printf("\n");

	/* AES-128, FIPS-197 appendix C.1: key 000102..0f, plaintext 00112233..ff. */
	uint8_t key[16], pt[16];
	for (int i = 0; i < 16; i++) { key[i] = i; pt[i] = (i << 4) | i; }
	uint8x16_t rk[11];
	uint32_t w[44];
	static const uint8_t sbox_probe[1] = { 0 };
	(void)sbox_probe;
	for (int i = 0; i < 4; i++) w[i] = key[4 * i] | key[4 * i + 1] << 8 | key[4 * i + 2] << 16 | (uint32_t)key[4 * i + 3] << 24;
	uint8_t rcon = 1;
	for (int i = 4; i < 44; i++) {
		uint32_t t = w[i - 1];
		if (i % 4 == 0) {
			/* SubWord through AESE with a zero key: ShiftRows does not move a replicated word. */
			uint8x16_t v = vreinterpretq_u8_u32(vdupq_n_u32(t));
			v = vaeseq_u8(v, vdupq_n_u8(0));
			t = vgetq_lane_u32(vreinterpretq_u32_u8(v), 0);
			t = (t >> 8 | t << 24) ^ rcon;
			rcon = (rcon << 1) ^ ((rcon >> 7) * 0x1b);
		}
		w[i] = w[i - 4] ^ t;
	}
	for (int r = 0; r < 11; r++) rk[r] = vreinterpretq_u8_u32(vld1q_u32(w + 4 * r));
	uint8x16_t s = vld1q_u8(pt);
	for (int r = 0; r < 9; r++) s = vaesmcq_u8(vaeseq_u8(s, rk[r]));
	s = veorq_u8(vaeseq_u8(s, rk[9]), rk[10]);
	uint8_t ct[16];
	vst1q_u8(ct, s);
	printf("aes128 = ");
	for (int i = 0; i < 16; i++) printf("%02x", ct[i]);
	printf("\n");
	/* and back */
	/* Inverse cipher: AESD undoes SubBytes/ShiftRows after its key XOR, AESIMC MixColumns. */
	uint8x16_t d = vaesdq_u8(s, rk[10]);
	for (int r = 9; r >= 1; r--) d = vaesdq_u8(vaesimcq_u8(veorq_u8(d, rk[r])), vdupq_n_u8(0));
	d = veorq_u8(d, rk[0]);
	vst1q_u8(ct, d);
	printf("decrypted = ");
	for (int i = 0; i < 16; i++) printf("%02x", ct[i]);
	printf("\n");
	poly64_t a = 0x87654321fedcba98ul, b = 0xf0f0f0f00f0f0f0ful;
	poly128_t p = vmull_p64(a, b);
	printf("pmull = %lx%016lx\n", (unsigned long)(p >> 64), (unsigned long)p);
	uint32x4_t sh = vsha1h_u32(0x12345678) == 0 ? vdupq_n_u32(0) : vdupq_n_u32(vsha1h_u32(0x12345678));
	uint32x4_t h1 = vsha1cq_u32(sh, 0x9abcdef0, vdupq_n_u32(0x01020304));
	printf("sha1c lane0 %x\n", vgetq_lane_u32(h1, 0));
}
