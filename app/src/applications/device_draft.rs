//! An application's draft kept on the phone while the server cannot be reached.

use crate::i18n::{t, use_locale};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::request;

/// Keeps the form's answers on the phone while the server cannot be reached: encrypted with
/// AES-GCM under a key the browser made and will not export (WebCrypto, kept in IndexedDB), a
/// number that looks like an Aadhaar left out, put back in the form when the page opens again
/// and sent as the draft once the connection returns, then forgotten. The service worker
/// deletes it all at sign-out, and when a page shows nobody is signed in. Plain script, not an
/// island: the WASM stays as it is on every other page.
#[component]
pub fn DeviceDraft(slug: String) -> impl IntoView {
    let l = use_locale();
    #[cfg(feature = "ssr")]
    let filer = request::account()
        .map(|a| a.id.to_string())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let filer = String::new();
    view! {
        <p id="device-draft" class="banner" role="status" data-slug=slug data-filer=filer hidden>{t::draft_on_device(l)}</p>
        <script nonce=leptos::nonce::use_nonce()>{DEVICE_DRAFT_SCRIPT}</script>
    }
}

const DEVICE_DRAFT_SCRIPT: &str = r#"(function(){
var form=document.querySelector('form.apply-form'),box=document.getElementById('device-draft');
if(!form||!box||!window.indexedDB||!window.crypto||!crypto.subtle||!box.dataset.filer)return;
var id=box.dataset.filer+':'+box.dataset.slug,aadhaar=/\d{4}[\s-]?\d{4}[\s-]?\d{4}/;
function db(){return new Promise(function(ok,no){var r=indexedDB.open('nagarik-drafts',1);
r.onupgradeneeded=function(){r.result.createObjectStore('drafts');r.result.createObjectStore('keys')};
r.onsuccess=function(){ok(r.result)};r.onerror=no})}
function run(store,mode,f){return db().then(function(d){return new Promise(function(ok,no){
var t=d.transaction(store,mode),q=f(t.objectStore(store));t.oncomplete=function(){d.close();ok(q&&q.result)};t.onerror=no})})}
function key(){return run('keys','readonly',function(s){return s.get('k')}).then(function(k){if(k)return k;
return crypto.subtle.generateKey({name:'AES-GCM',length:256},false,['encrypt','decrypt']).then(function(k){
return run('keys','readwrite',function(s){s.put(k,'k')}).then(function(){return k})})})}
function answers(){var o={};new FormData(form).forEach(function(v,k){
if(typeof v==='string'&&k.indexOf('answers[')===0&&!aadhaar.test(v))o[k]=v});return o}
function save(){var iv=crypto.getRandomValues(new Uint8Array(12));return key().then(function(k){
return crypto.subtle.encrypt({name:'AES-GCM',iv:iv},k,new TextEncoder().encode(JSON.stringify(answers())))}).then(function(c){
return run('drafts','readwrite',function(s){s.put({iv:iv,data:c,at:Date.now()},id)})}).then(function(){box.hidden=false})}
function fill(o){Object.keys(o).forEach(function(n){form.querySelectorAll('[name="'+CSS.escape(n)+'"]').forEach(function(el){
if(el.type==='radio')el.checked=el.value===o[n];else el.value=o[n]})})}
function send(){var tries=0;(function wait(){if(form.dataset.hydrated){if(navigator.onLine)form.dispatchEvent(new Event('input',{bubbles:true}));
form.dispatchEvent(new Event('change',{bubbles:true}))}else if(tries++<100)setTimeout(wait,100)})()}
run('drafts','readonly',function(s){return s.get(id)}).then(function(d){if(!d)return;
return key().then(function(k){return crypto.subtle.decrypt({name:'AES-GCM',iv:d.iv},k,d.data)}).then(function(p){
fill(JSON.parse(new TextDecoder().decode(p)));box.hidden=false;send()})}).catch(function(){});
form.addEventListener('nagarik-keep-failed',function(){save().catch(function(){})});
form.addEventListener('nagarik-kept',function(){run('drafts','readwrite',function(s){s.delete(id)}).catch(function(){});box.hidden=true});
addEventListener('online',send)})()"#;
