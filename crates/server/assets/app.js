// Jiedai (接待) — progressive enhancements. Every page works without this file.
// CSP-safe: no inline handlers, no eval / new Function.
(function () {
  'use strict';

  // 1. Confirmation prompts: form[data-confirm] and button[data-confirm].
  document.addEventListener('click', function (e) {
    var btn = e.target.closest ? e.target.closest('button[data-confirm]') : null;
    if (!btn) return;
    if (!window.confirm(btn.dataset.confirm)) {
      e.preventDefault();
    } else if (btn.form) {
      var form = btn.form; // don't ask twice for the same submit
      form.dataset.confirmed = '1';
      window.setTimeout(function () { delete form.dataset.confirmed; }, 0);
    }
  });

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-confirm')) return;
    if (form.dataset.confirmed === '1') {
      delete form.dataset.confirmed;
      return;
    }
    if (!window.confirm(form.dataset.confirm)) e.preventDefault();
  });

  // 2. Auto-submit forms (e.g. language select) when a select changes.
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (!el || el.tagName !== 'SELECT' || !el.form) return;
    if (!el.form.hasAttribute('data-autosubmit')) return;
    if (typeof el.form.requestSubmit === 'function') el.form.requestSubmit();
    else el.form.submit();
  });

  // 3. Copy buttons for one-time secrets (.secret[data-copy]).
  function selectText(node) {
    var sel = window.getSelection && window.getSelection();
    if (!sel || !document.createRange) return;
    var range = document.createRange();
    range.selectNodeContents(node);
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function addCopyButton(secret) {
    var label = secret.getAttribute('data-copy') || 'Copy';
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'btn btn-small copy-button no-print';
    btn.textContent = label;
    btn.addEventListener('click', function () {
      var text = secret.textContent.trim();
      var done = function () {
        btn.textContent = label + ' \u2713';
        window.setTimeout(function () { btn.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { selectText(secret); });
      } else {
        selectText(secret); // fallback: select so the user can press Ctrl+C
      }
    });
    secret.insertAdjacentElement('afterend', btn);
  }

  // 4. Details that only matter when their box is ticked (.depends[data-depends]):
  //    hidden while unticked, unless they hold an error.
  function syncDepends(box) {
    var blocks = document.querySelectorAll('.depends[data-depends="' + box.name + '"]');
    for (var i = 0; i < blocks.length; i++) {
      var hasError = blocks[i].querySelector('.has-error');
      blocks[i].hidden = !box.checked && !hasError;
    }
  }

  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el && el.type === 'checkbox' && el.name) syncDepends(el);
  });

  // 5. A form is sent once: a second click while the first is on its way does nothing.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.querySelector || !form.querySelector('[data-once]')) return;
    if (form.dataset.sending === '1') {
      e.preventDefault();
      return;
    }
    form.dataset.sending = '1';
    window.setTimeout(function () { delete form.dataset.sending; }, 10000);
  });

  // 6. The recommended budget (the tier's standard per person × guests) as the form is
  //    filled, and a warning when the budget entered is over it.
  function yuan(fen) {
    return '\u00a5' + (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function filledRows(form, list) {
    var n = 0;
    var inputs = form.querySelectorAll('input[name^="' + list + '["][name$="].name"]');
    for (var i = 0; i < inputs.length; i++) if (inputs[i].value.trim() !== '') n++;
    return n;
  }

  function updateBudget(form) {
    var out = form.querySelector('#recommended');
    var over = form.querySelector('#budget-over');
    if (!out || !over) return;
    var tier = form.querySelector('input[name="tier"]:checked');
    if (!tier) { out.hidden = true; over.hidden = true; return; }
    var countField = form.querySelector('[name="companion_count"]');
    var count = parseInt(countField && countField.value, 10) || 0;
    var guests = 1 + Math.max(count, filledRows(form, 'companions')) + filledRows(form, 'support_staff');
    var fen = parseInt(tier.dataset.standard, 10) * guests;
    var format = guests === 1 ? out.dataset.formatOne || out.dataset.format : out.dataset.format;
    out.textContent = format.replace('{amount}', yuan(fen)).replace('{n}', String(guests));
    out.hidden = false;
    var budgetField = form.querySelector('[name="budget_fen"]');
    var budget = parseFloat((budgetField && budgetField.value || '').replace(/[,\u00a5\uffe5\s]/g, ''));
    if (!isNaN(budget) && Math.round(budget * 100) > fen) {
      over.textContent = over.dataset.format.replace('{value}', (fen / 100).toFixed(2));
      over.hidden = false;
    } else {
      over.hidden = true;
    }
  }

  document.addEventListener('input', function (e) {
    var form = e.target.form;
    if (form && form.classList.contains('reception-form')) updateBudget(form);
  });
  document.addEventListener('change', function (e) {
    var form = e.target.form;
    if (form && form.classList.contains('reception-form')) updateBudget(form);
  });

  // 7. Print buttons.
  document.addEventListener('click', function (e) {
    var btn = e.target.closest ? e.target.closest('[data-print]') : null;
    if (btn) window.print();
  });

  // Unsaved changes: a form marked data-guard-unsaved asks before the page is left with
  // changes typed and not sent.
  function guardUnsaved(form) {
    var dirty = false;
    form.addEventListener('input', function () { dirty = true; });
    form.addEventListener('change', function () { dirty = true; });
    form.addEventListener('submit', function () { dirty = false; });
    window.addEventListener('beforeunload', function (e) {
      if (!dirty) return;
      e.preventDefault();
      e.returnValue = form.dataset.unsavedMessage || '';
      return e.returnValue;
    });
  }

  // "Add rows" without a round trip: the last row of the list is copied, emptied and
  // renumbered (the button still works without JavaScript, by reloading with more rows).
  function addRow(button) {
    var list = button.dataset.addRow;
    var people = button.previousElementSibling;
    if (!people || !people.classList.contains('people')) return false;
    var rows = people.querySelectorAll('fieldset.row-card');
    if (!rows.length) return false;
    var last = rows[rows.length - 1];
    var n = rows.length;
    var copy = last.cloneNode(true);
    var from = new RegExp(list + '\\[' + (n - 1) + '\\]', 'g');
    var fromId = new RegExp(list + '-' + (n - 1) + '-', 'g');
    var legend = copy.querySelector('legend');
    if (legend) legend.textContent = legend.textContent.replace(/\d+\s*$/, String(n + 1));
    var els = copy.querySelectorAll('[name],[id],[for],[aria-describedby]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      ['name', 'id', 'for', 'aria-describedby'].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.replace(from, list + '[' + n + ']').replace(fromId, list + '-' + n + '-'));
      });
      if (el.tagName === 'INPUT') { el.value = ''; el.removeAttribute('aria-invalid'); }
    }
    var errs = copy.querySelectorAll('.field-error');
    for (var k = 0; k < errs.length; k++) errs[k].parentNode.removeChild(errs[k]);
    var bad = copy.querySelectorAll('.has-error');
    for (var m = 0; m < bad.length; m++) bad[m].classList.remove('has-error');
    people.appendChild(copy);
    var first = copy.querySelector('input');
    if (first) first.focus();
    return true;
  }

  document.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('button[data-add-row]') : null;
    if (b && addRow(b)) e.preventDefault();
  });

  // The late warning follows the first visit day as it is typed (#late-box carries the
  // first day on time and the deadline each earlier day missed; the server says the same
  // once the form is saved).
  function lateWarning(box) {
    var input = document.getElementById(box.dataset.lateFor);
    if (!input) return;
    var deadlines;
    try { deadlines = JSON.parse(box.dataset.lateDeadlines || '{}'); } catch (err) { return; }
    var text = box.querySelector('#late-warning');
    function update() {
      var day = input.value;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
      if (day >= box.dataset.lateOnTime) {
        box.hidden = true;
        return;
      }
      var missed = deadlines[day];
      if (missed === undefined) return; // long past: as the page said
      text.textContent = box.dataset.lateTemplate.replace('{deadline}', missed);
      box.hidden = false;
    }
    input.addEventListener('input', update);
    input.addEventListener('change', update);
  }

  function init() {
    // The list's filters fold away on a phone when none is set.
    if (window.matchMedia && window.matchMedia('(max-width: 480px)').matches) {
      var folds = document.querySelectorAll('details[data-fold-on-phone]:not([data-filtering])');
      for (var f = 0; f < folds.length; f++) folds[f].open = false;
    }
    var late = document.getElementById('late-box');
    if (late && late.dataset.lateFor) lateWarning(late);
    var guarded = document.querySelectorAll('form[data-guard-unsaved]');
    for (var g = 0; g < guarded.length; g++) guardUnsaved(guarded[g]);
    var secrets = document.querySelectorAll('.secret[data-copy]');
    for (var i = 0; i < secrets.length; i++) addCopyButton(secrets[i]);
    var rf = document.querySelector('form.reception-form');
    if (rf) updateBudget(rf);
    var blocks = document.querySelectorAll('.depends[data-depends]');
    for (var j = 0; j < blocks.length; j++) {
      var box = document.querySelector('input[type=checkbox][name="' + blocks[j].dataset.depends + '"]');
      if (box) syncDepends(box);
    }
  }

  // The bell's count, kept current while a page stays open (every minute, while visible).
  function refreshBell() {
    var bell = document.getElementById('bell');
    if (!bell || document.hidden || !window.fetch) return;
    fetch('/api/v1/me/notifications/unread-count', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) {
        if (!v || typeof v.count !== 'number') return;
        var badge = document.getElementById('bell-count');
        if (v.count === 0) {
          if (badge) badge.remove();
          bell.classList.remove('bell-unread');
          return;
        }
        if (!badge) {
          badge = document.createElement('span');
          badge.className = 'bell-count';
          badge.id = 'bell-count';
          bell.appendChild(badge);
        }
        badge.textContent = v.count > 99 ? '99+' : String(v.count);
        bell.classList.add('bell-unread');
      })
      .catch(function () {});
  }
  if (document.getElementById('bell')) window.setInterval(refreshBell, 60000);

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
