/* 苍山州人民政府门户网站 公共脚本：字号调整、加入收藏、关怀版切换 */
(function (w, d) {
  var csz = w.csz = w.csz || {};
  csz.fontSize = function (delta) {
    var el = d.getElementById('zoomcon');
    if (!el) { return; }
    var size = parseFloat(w.getComputedStyle(el).fontSize) || 18;
    el.style.fontSize = Math.max(14, Math.min(30, size + delta)) + 'px';
  };
  csz.addFavorite = function () {
    try { w.external.addFavorite(w.location.href, d.title); }
    catch (e) { w.alert('请使用 Ctrl+D 将本页加入收藏夹'); }
  };
  csz.careMode = function (on) {
    d.documentElement.className = on ? 'care' : '';
    try { w.localStorage.setItem('csz-care', on ? '1' : '0'); } catch (e) { /* 隐私模式 */ }
  };
  d.addEventListener('DOMContentLoaded', function () {
    try { if (w.localStorage.getItem('csz-care') === '1') { csz.careMode(true); } } catch (e) { /* 忽略 */ }
  });
})(window, document);
