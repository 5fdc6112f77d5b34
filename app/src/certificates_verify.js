// /verify: takes the code from the link's fragment (a QR scanned by any camera), the camera or a
// photo (where the browser detects barcodes), or the box; online the server checks it, offline
// this script does, with the keys and the revoked numbers the service worker keeps.
(function () {
  var form = document.getElementById('verify-form'), area = document.getElementById('verify-code');
  var box = document.getElementById('verify-offline');
  if (!form || !area || !box) return;
  var W = JSON.parse(box.dataset.words || '{}');

  function codeIn(text) {
    var t = (text || '').trim(), i = t.indexOf('#');
    if (i >= 0) { try { t = decodeURIComponent(t.slice(i + 1)); } catch (e) { return null; } }
    t = t.trim();
    return t.slice(0, 4).toUpperCase() === 'NC1:' ? 'NC1:' + t.slice(4) : null;
  }

  // Base45 (RFC 9285)
  var B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  function base45(s) {
    var out = [];
    for (var i = 0; i < s.length; i += 3) {
      var chunk = s.slice(i, i + 3), n = 0;
      for (var j = chunk.length - 1; j >= 0; j--) {
        var v = B45.indexOf(chunk[j]);
        if (v < 0) throw new Error('base45');
        n = n * 45 + v;
      }
      if (chunk.length === 3) { if (n > 65535) throw new Error('base45'); out.push(n >> 8, n & 255); }
      else if (chunk.length === 2) { if (n > 255) throw new Error('base45'); out.push(n); }
      else throw new Error('base45');
    }
    return new Uint8Array(out);
  }

  function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  // CBOR (RFC 8949), the little a certificate uses
  function cbor(b) {
    var p = 0;
    function len(ai) {
      if (ai < 24) return ai;
      if (ai > 27) throw new Error('cbor');
      var n = 0, l = 1 << (ai - 24);
      for (var i = 0; i < l; i++) n = n * 256 + b[p++];
      return n;
    }
    function item() {
      if (p >= b.length) throw new Error('cbor');
      var x = b[p++], major = x >> 5, ai = x & 31;
      if (major === 7) {
        if (ai === 20) return false;
        if (ai === 21) return true;
        if (ai === 22) return null;
        throw new Error('cbor');
      }
      var n = len(ai), i, v;
      if (major === 0) return n;
      if (major === 1) return -1 - n;
      if (major === 2) { v = b.subarray(p, p + n); p += n; return v; }
      if (major === 3) { v = new TextDecoder().decode(b.subarray(p, p + n)); p += n; return v; }
      if (major === 4) { v = []; for (i = 0; i < n; i++) v.push(item()); return v; }
      if (major === 5) { v = new Map(); for (i = 0; i < n; i++) { var k = item(); v.set(k, item()); } return v; }
      return item(); // a tag: what it tags
    }
    return item();
  }
  function head(major, n) {
    if (n < 24) return [major << 5 | n];
    if (n < 256) return [major << 5 | 24, n];
    if (n < 65536) return [major << 5 | 25, n >> 8, n & 255];
    return [major << 5 | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  function bstr(x) { return head(2, x.length).concat(Array.from(x)); }
  function b64url(bytes) {
    return btoa(String.fromCharCode.apply(null, Array.from(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function day(seconds) {
    var d = new Date((seconds + 19800) * 1000); // in India
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getUTCDate()) + '-' + two(d.getUTCMonth() + 1) + '-' + d.getUTCFullYear();
  }
  function cached(url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error(url); return r.json(); });
  }

  function show(verdict, claims, note) {
    var old = document.querySelector('[data-testid="verdict"]');
    if (old) old.remove();
    var s = document.createElement('section');
    s.className = 'card verdict verdict-' + verdict;
    s.setAttribute('role', 'status');
    s.dataset.testid = 'verdict';
    s.dataset.verdict = verdict;
    var h = document.createElement('h2');
    h.textContent = W[verdict] || verdict;
    s.appendChild(h);
    if (claims) {
      var title = document.createElement('p'), strong = document.createElement('strong');
      strong.textContent = W[claims.kind] || claims.kind;
      title.appendChild(strong);
      s.appendChild(title);
      var dl = document.createElement('dl');
      dl.className = 'facts';
      var rows = [[W.number, claims.number], [W.issued_by, claims.issuer], [W.issued_to, claims.holder]]
        .concat(claims.facts, [[W.issued_on, day(claims.iat)]]);
      if (claims.exp) rows.push([W.valid_until, day(claims.exp)]);
      rows.forEach(function (r) {
        var dt = document.createElement('dt'), dd = document.createElement('dd');
        dt.textContent = r[0]; dd.textContent = r[1];
        dl.appendChild(dt); dl.appendChild(dd);
      });
      s.appendChild(dl);
    }
    if (note) { var p = document.createElement('p'); p.className = 'hint'; p.textContent = note; s.appendChild(p); }
    box.after(s);
  }

  // The check the server makes, made here: signed by a key the city publishes, not revoked, not
  // expired.
  function offline(text) {
    var code = codeIn(text);
    if (!code) return Promise.resolve(show('not_a_code'));
    var cose, claims;
    return Promise.resolve().then(function () { return inflate(base45(code.slice(4))); }).then(function (bytes) {
      cose = cbor(bytes);
      if (!Array.isArray(cose) || cose.length !== 4) throw new Error('cose');
      var protectedHeader = cbor(cose[0]), payload = cbor(cose[2]), certified = payload.get(-70001);
      claims = {
        issuer: payload.get(1), iat: payload.get(6), exp: payload.get(4),
        number: new TextDecoder().decode(payload.get(7)),
        kind: certified.get(1), holder: certified.get(2), facts: certified.get(3),
        kid: b64url(protectedHeader.get(4)), alg: protectedHeader.get(1)
      };
    }).then(function () {
      return Promise.all([cached('/.well-known/jwks.json'), cached('/api/v1/certificates/revoked').catch(function () { return null; })]);
    }, function () { show('not_a_code'); throw null; }).then(function (got) {
      var jwks = got[0], revoked = got[1], now = Date.now() / 1000;
      var jwk = (jwks.keys || []).filter(function (k) { return k.kid === claims.kid && (!k.exp || k.exp > now); })[0];
      if (!jwk || claims.alg !== -8) { show('unknown_key'); return; }
      var tbs = new Uint8Array([0x84].concat(head(3, 10), Array.from(new TextEncoder().encode('Signature1')),
        bstr(cose[0]), [0x40], bstr(cose[2])));
      return crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify'])
        .then(function (key) { return crypto.subtle.verify({ name: 'Ed25519' }, key, cose[3], tbs); })
        .then(function (ok) {
          var asOf = revoked && revoked.as_of ? (W.offline + ' ' + day(Date.parse(revoked.as_of) / 1000)) : W.offline;
          if (!ok) show('tampered');
          else if (revoked && revoked.numbers.indexOf(claims.number) >= 0) show('revoked', claims, asOf);
          else if (claims.exp && claims.exp <= now) show('expired', claims, asOf);
          else show('valid', claims, asOf);
        });
    }).catch(function (e) { if (e !== null) show('not_a_code'); });
  }

  function check(text) {
    var code = codeIn(text) || text.trim();
    area.value = code;
    if (navigator.onLine) location.assign('/verify?code=' + encodeURIComponent(code));
    else offline(code);
  }
  form.addEventListener('submit', function (e) {
    if (!navigator.onLine) { e.preventDefault(); offline(area.value); }
  });

  // A code in the link (the QR's), or a page kept for offline use that the server did not check.
  var asked = new URLSearchParams(location.search).get('code');
  var answered = document.querySelector('[data-testid="verdict"]');
  if (location.hash.length > 1 && !asked) check(location.href);
  else if (asked && !answered) offline(asked);
  // a link opened while this page is open (the same page, another code)
  addEventListener('hashchange', function () { if (location.hash.length > 1) check(location.href); });

  if ('BarcodeDetector' in window) {
    var detector = new BarcodeDetector({ formats: ['qr_code'] });
    var scan = document.getElementById('verify-scan'), video = document.getElementById('verify-camera');
    var photo = document.getElementById('verify-photo'), field = document.getElementById('verify-photo-field');
    scan.hidden = false; field.hidden = false;
    var found = function (codes) {
      if (codes.length) { check(codes[0].rawValue); return true; }
      return false;
    };
    scan.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
        (function look() {
          detector.detect(video).then(function (codes) { if (found(codes)) stop(); else setTimeout(look, 250); })
            .catch(function () { setTimeout(look, 500); });
        })();
      }).catch(function () { show('not_a_code', null, W.no_camera); });
    });
    photo.addEventListener('change', function () {
      if (!photo.files[0]) return;
      createImageBitmap(photo.files[0]).then(function (bitmap) { return detector.detect(bitmap); })
        .then(function (codes) { if (!found(codes)) show('not_a_code', null, W.no_qr); })
        .catch(function () { show('not_a_code', null, W.no_qr); });
    });
  }
})();
