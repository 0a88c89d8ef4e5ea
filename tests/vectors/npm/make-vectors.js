#!/usr/bin/env node
// Regenerate the npm registry-signature vectors in this directory.
//
// usage: node make-vectors.js
//
// Uses only Node's crypto (the OpenSSL that npm itself verifies with). Keys
// are made fresh, so every file changes when this runs; the tests read
// MANIFEST and never depend on particular bytes. The expected result of each
// case is not written by hand: it is what pacote's check (lib/registry.js,
// re-stated in pacoteVerdict below) says about the case, and the script
// stops if that differs from what the case was built to show.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const HERE = __dirname;
const NAME = 'vectors-pkg';
const OTHER = 'other-pkg';
const SCOPED = '@vectors/scoped';

// npm's keyid: the OpenSSH fingerprint of the key (ssh-keygen -l).
function keyidOf(publicKey) {
  const jwk = publicKey.export({format: 'jwk'});
  const q = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'),
                           Buffer.from(jwk.y, 'base64url')]);
  const str = (b) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([str(Buffer.from('ecdsa-sha2-nistp256')),
                              str(Buffer.from('nistp256')), str(q)]);
  return 'SHA256:' + crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

function makeKey(namedCurve = 'P-256') {
  const {publicKey, privateKey} = crypto.generateKeyPairSync('ec', {namedCurve});
  return {publicKey, privateKey, keyid: keyidOf(publicKey),
          spki: publicKey.export({type: 'spki', format: 'der'}).toString('base64')};
}

const current = makeKey();   // listed, never expires
const old = makeKey();       // listed, expired 2023-06-01
const rogue = makeKey();     // not listed: what an attacker holds
const OLD_EXPIRES = '2023-06-01T00:00:00.000Z';
const UNSUPPORTED_ID = 'SHA256:' + crypto.createHash('sha256').update('ed25519 stand-in')
  .digest('base64').replace(/=+$/, '');

const keysDoc = {keys: [
  {expires: null, keyid: current.keyid, keytype: 'ecdsa-sha2-nistp256',
   scheme: 'ecdsa-sha2-nistp256', key: current.spki},
  {expires: OLD_EXPIRES, keyid: old.keyid, keytype: 'ecdsa-sha2-nistp256',
   scheme: 'ecdsa-sha2-nistp256', key: old.spki},
  {expires: null, keyid: UNSUPPORTED_ID, keytype: 'ssh-ed25519', scheme: 'ssh-ed25519',
   key: crypto.randomBytes(32).toString('base64')},
]};

const sign = (key, msg, hash = 'SHA256') =>
  crypto.createSign(hash).update(msg).sign(key.privateKey).toString('base64');
const integrityOf = (label) =>
  'sha512-' + crypto.createHash('sha512').update('tarball of ' + label).digest('base64');

function flipBit(b64) {
  const b = Buffer.from(b64, 'base64');
  b[b.length - 5] ^= 0x01;
  return b.toString('base64');
}

// pacote 21 lib/registry.js, verifySignatures branch, plus the one place
// pkggate differs: a key of a type it cannot check is UNKNOWN_KEY, where
// pacote would fail the verify itself (EINTEGRITYSIGNATURE).
function pacoteVerdict(keys, name, version, time, dist) {
  const sigs = dist.signatures || [];
  if (sigs.length === 0) return 'missing';
  const message = `${name}@${version}:${dist.integrity}`;
  for (const signature of sigs) {
    const key = keys.filter((k) => k.keyid === signature.keyid)[0];
    if (!key) return 'unknown_key';
    if (key.keytype !== 'ecdsa-sha2-nistp256') return 'unknown_key';
    const published = Date.parse(time || '2015-01-01T00:00:00.000Z');
    let valid;
    try {
      const pem = `-----BEGIN PUBLIC KEY-----\n${key.key}\n-----END PUBLIC KEY-----`;
      valid = crypto.createVerify('SHA256').update(message).end()
        .verify(pem, signature.sig, 'base64');
    } catch (er) {
      valid = false;
    }
    // pacote checks expiry first; pkggate reports a bad signature over an
    // expired key as invalid, the graver finding. No vector has both.
    if (!valid || dist.integrity === undefined) return 'invalid';
    if (key.expires && !(published < Date.parse(key.expires))) return 'expired_key';
  }
  return 'ok';
}

const packuments = {};
const manifest = [];

function packument(name) {
  if (!packuments[name])
    packuments[name] = {_id: name, name, 'dist-tags': {}, versions: {},
                        time: {created: '2022-01-01T00:00:00.000Z'}};
  return packuments[name];
}

// Add one version; want is what the case is built to show.
function add(name, version, time, dist, want, what) {
  const p = packument(name);
  p.versions[version] = {name, version, _id: `${name}@${version}`,
                         dist: Object.assign({tarball: `https://registry.invalid/${name}/-/x-${version}.tgz`}, dist)};
  if (time) p.time[version] = time;
  p['dist-tags'].latest = version;
  const got = pacoteVerdict(keysDoc.keys, name, version, time, dist);
  if (got !== want)
    throw new Error(`${name}@${version} (${what}): built to be ${want}, pacote says ${got}`);
  const file = name.replace('@', '').replace('/', '-') + '.json';
  manifest.push([file, name, version, want, what]);
}

function signed(name, version, key, extra = {}) {
  const integrity = extra.integrity || integrityOf(`${name}@${version}`);
  return {integrity, signatures: [{keyid: key.keyid, sig: sign(key, `${name}@${version}:${integrity}`)}]};
}

const T = '2024-03-01T12:00:00.000Z';
const BEFORE_EXPIRY = '2023-01-15T08:30:00.000Z';

const good = signed(NAME, '1.0.0', current);
add(NAME, '1.0.0', T, good, 'ok', 'signed with the current key');
add(NAME, '1.1.0', BEFORE_EXPIRY, signed(NAME, '1.1.0', old), 'ok',
    'signed with the old key before it expired');
add(NAME, '1.2.0', T, signed(NAME, '1.2.0', old), 'expired_key',
    'signed with the old key, published after it expired');
add(NAME, '1.2.1', OLD_EXPIRES, signed(NAME, '1.2.1', old), 'expired_key',
    'published the very moment the old key expired');
{
  const d = signed(NAME, '1.3.0', current);
  d.integrity = integrityOf('evil tarball');
  add(NAME, '1.3.0', T, d, 'invalid', 'integrity swapped after signing (tampered tarball)');
}
{
  const d = signed(NAME, '1.4.0', current);
  d.signatures[0].sig = flipBit(d.signatures[0].sig);
  add(NAME, '1.4.0', T, d, 'invalid', 'one bit of the signature flipped');
}
add(NAME, '1.5.0', T, signed(NAME, '1.5.0', rogue), 'unknown_key',
    'signed with a key the registry does not list');
add(NAME, '1.6.0', T, {integrity: integrityOf('1.6.0')}, 'missing', 'no dist.signatures');
add(NAME, '1.6.1', T, {integrity: integrityOf('1.6.1'), signatures: []}, 'missing',
    'dist.signatures is an empty list');
{
  const src = signed(OTHER, '1.7.0', current);
  add(OTHER, '1.7.0', T, src, 'ok', 'source of the replay below');
  add(NAME, '1.7.0', T, JSON.parse(JSON.stringify(src)), 'invalid',
      'integrity and signature copied from other-pkg@1.7.0 (replay of another package)');
}
add(NAME, '1.8.0', T, JSON.parse(JSON.stringify(good)), 'invalid',
    'integrity and signature copied from vectors-pkg@1.0.0 (replay of another version)');
{
  const d = signed(NAME, '1.9.0', rogue);
  d.signatures[0].keyid = current.keyid;
  add(NAME, '1.9.0', T, d, 'invalid', 'signed with an unlisted key, keyid rewritten to the current key');
}
{
  const d = signed(NAME, '1.10.0', current);
  d.signatures[0].sig = '!!not base64!!';
  add(NAME, '1.10.0', T, d, 'invalid', 'signature is not base64');
}
{
  const d = signed(NAME, '1.11.0', current);
  d.signatures.push({keyid: rogue.keyid, sig: sign(rogue, `${NAME}@1.11.0:${d.integrity}`)});
  add(NAME, '1.11.0', T, d, 'unknown_key', 'a good signature plus one by an unlisted key');
}
add(NAME, '1.12.0', null, signed(NAME, '1.12.0', old), 'ok',
    'no publish time: taken as 2015-01-01, before the old key expired');
{
  const d = signed(NAME, '1.13.0', current);
  d.signatures[0].keyid = UNSUPPORTED_ID;
  add(NAME, '1.13.0', T, d, 'unknown_key', 'keyid of a listed key of another type (pacote: invalid)');
}
{
  const integrity = integrityOf('1.14.0');
  add(NAME, '1.14.0', T, {integrity, signatures: [{keyid: current.keyid, sig: sign(current, `${NAME}@1.14.0`)}]},
      'invalid', 'signature over name@version only, without the integrity');
}
{
  const integrity = integrityOf('1.15.0');
  const sig = sign(current, `${NAME}@1.15.0:${integrity}`, 'SHA512');
  add(NAME, '1.15.0', T, {integrity, signatures: [{keyid: current.keyid, sig}]}, 'invalid',
      'ECDSA with SHA-512 instead of SHA-256');
}
{
  const d = signed(NAME, '1.16.0', current);
  delete d.integrity;
  add(NAME, '1.16.0', T, d, 'invalid', 'signed, but dist.integrity removed');
}
{
  const d = signed(NAME, '1.17.0', current);
  d.signatures[0].sig = Buffer.concat([Buffer.from(d.signatures[0].sig, 'base64'), Buffer.from([0])])
    .toString('base64');
  add(NAME, '1.17.0', T, d, 'invalid', 'a good signature with a byte appended to the DER');
}
{
  const d = signed(NAME, '1.18.0', current);
  d.signatures[0].sig = sign(current, `${NAME.toUpperCase()}@1.18.0:${d.integrity}`);
  add(NAME, '1.18.0', T, d, 'invalid', 'signature over the name in other letter case');
}
add(SCOPED, '2.0.0', T, signed(SCOPED, '2.0.0', current), 'ok', 'scoped name, current key');

// Keys documents that must not parse.
const p384 = makeKey('P-384');
const badKeys = {
  'keys-wrong-keyid.json': {keys: [Object.assign({}, keysDoc.keys[0], {keyid: old.keyid})]},
  'keys-p384.json': {keys: [{expires: null, keyid: p384.keyid, keytype: 'ecdsa-sha2-nistp256',
                             scheme: 'ecdsa-sha2-nistp256', key: p384.spki}]},
  'keys-bad-expires.json': {keys: [Object.assign({}, keysDoc.keys[0], {expires: 'tomorrow'})]},
  'keys-truncated-key.json': {keys: [Object.assign({}, keysDoc.keys[0], {key: current.spki.slice(0, 60)})]},
};

const write = (file, obj) => fs.writeFileSync(path.join(HERE, file), JSON.stringify(obj, null, 2) + '\n');
write('keys.json', keysDoc);
for (const [file, doc] of Object.entries(badKeys)) write(file, doc);
for (const [name, doc] of Object.entries(packuments))
  write(name.replace('@', '').replace('/', '-') + '.json', doc);
fs.writeFileSync(path.join(HERE, 'MANIFEST'),
  '# file\tname\tversion\texpected\twhat (made by make-vectors.js; expected = pacote\'s verdict)\n' +
  manifest.map((r) => r.join('\t')).join('\n') + '\n');
console.log(`${manifest.length} cases, keys ${current.keyid} ${old.keyid}`);
